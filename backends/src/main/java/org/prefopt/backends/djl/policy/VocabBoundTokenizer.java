package org.prefopt.backends.djl.policy;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.TextTokenizer;

/**
 * For models whose embedding table is larger than their tokenizer: ids the tokenizer does not know decode to nothing
 * instead of failing, as Hugging Face's tokenizers decode them. Qwen2.5 pads its 151,665 tokens to 151,936 rows, and a
 * policy sampling at temperature 1 can draw one of the padding ids (a random checkpoint often does); bench-small has
 * 4096 rows for a ~100-symbol tokenizer.
 */
final class VocabBoundTokenizer implements TextTokenizer, AutoCloseable {

    private final TextTokenizer inner;

    private VocabBoundTokenizer(TextTokenizer inner) {
        this.inner = inner;
    }

    /** {@code tokenizer} as a model with {@code modelVocab} embedding rows must use it. */
    static TextTokenizer forModel(int modelVocab, TextTokenizer tokenizer) {
        return modelVocab > tokenizer.vocabSize() ? new VocabBoundTokenizer(tokenizer) : tokenizer;
    }

    @Override
    public int[] encode(String text) {
        return inner.encode(text);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        int n = inner.vocabSize();
        return inner.decode(Arrays.stream(ids).filter(i -> i >= 0 && i < n).toArray(), skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public Set<Integer> eosTokenIds() {
        return inner.eosTokenIds();
    }

    @Override
    public OptionalInt padTokenId() {
        return inner.padTokenId();
    }

    @Override
    public boolean hasChatTemplate() {
        return inner.hasChatTemplate();
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return inner.applyChatTemplate(messages, addGenerationPrompt);
    }

    @Override
    public void close() throws Exception {
        if (inner instanceof AutoCloseable c) {
            c.close();
        }
    }
}
