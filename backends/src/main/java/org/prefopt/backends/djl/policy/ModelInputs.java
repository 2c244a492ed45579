package org.prefopt.backends.djl.policy;

import java.util.List;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.model.ModelConfig;

/**
 * What a model accepts, checked before any tensor is built: token ids inside the vocabulary (an id past it meant a
 * tokenizer that does not belong to the checkpoint, and the engine said only "index out of range in self"), and
 * sequences no longer than the model's context ({@code max_position_embeddings}), so that a huge prompt or
 * {@code max-new-tokens} is a clear error instead of an out-of-memory failure minutes later; and, for models with
 * sliding-window attention (Mistral), no longer than the window, where full attention would compute something else.
 */
final class ModelInputs {

    private final ModelConfig config;

    ModelInputs(ModelConfig config) {
        this.config = config;
    }

    void checkGeneration(List<GenerationRequest> requests, SamplingParams params) {
        for (GenerationRequest r : requests) {
            checkIds(r.promptTokens(), "request '" + r.id() + "'");
            long total = (long) r.promptTokens().length + params.maxNewTokens();
            if (config.maxPositions() > 0 && total > config.maxPositions()) {
                throw new IllegalArgumentException("request '" + r.id() + "': a prompt of " + r.promptTokens().length
                        + " tokens plus max-new-tokens " + params.maxNewTokens() + " exceeds the model's context of "
                        + config.maxPositions() + " tokens (max_position_embeddings); lower max-new-tokens or leave"
                        + " out long prompts (filter = [ { type = length, max-tokens = ... } ])");
            }
            checkWindow(total, "request '" + r.id() + "': a prompt of " + r.promptTokens().length
                    + " tokens plus max-new-tokens " + params.maxNewTokens() + " exceeds");
        }
    }

    void checkSequences(List<TokenSequence> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            TokenSequence s = sequences.get(i);
            checkIds(s.promptTokens(), "sequence " + i + " (prompt)");
            checkIds(s.completionTokens(), "sequence " + i + " (completion)");
            long total = (long) s.promptTokens().length + s.completionTokens().length;
            if (config.maxPositions() > 0 && total > config.maxPositions()) {
                throw new IllegalArgumentException("sequence " + i + ": " + total + " tokens exceed the model's context"
                        + " of " + config.maxPositions() + " tokens (max_position_embeddings); leave out long prompts"
                        + " (filter = [ { type = length, max-tokens = ... } ]) or lower max-new-tokens");
            }
            checkWindow(total, "sequence " + i + ": " + total + " tokens exceed");
        }
    }

    /**
     * A model with sliding-window attention attends to the last {@code sliding_window} tokens only; this decoder
     * attends to the whole sequence, which is the same computation only while the sequence fits in the window.
     *
     * @param what the request or sequence with its size, ending in the verb ("... exceeds")
     */
    private void checkWindow(long total, String what) {
        if (config.slidingWindow() > 0 && total > config.slidingWindow()) {
            throw new IllegalArgumentException(what + " the model's attention window of "
                    + config.slidingWindow() + " tokens (sliding_window in config.json); prefopt implements full"
                    + " attention, which equals sliding-window attention only within the window: lower"
                    + " max-new-tokens or leave out long prompts (filter = [ { type = length, max-tokens = ... } ])");
        }
    }

    private void checkIds(int[] ids, String where) {
        for (int id : ids) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException(where + ": token id " + id + " is outside the model's vocabulary"
                        + " of " + config.vocabSize() + " (vocab_size); the tokenizer does not belong to this"
                        + " checkpoint");
            }
        }
    }
}
