package org.prefopt.backends.djl.policy;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.TextTokenizer;

/**
 * For presets whose embedding table is larger than their tokenizer (bench-small: 4096 rows, a ~100-symbol
 * tokenizer): ids the tokenizer does not know decode to nothing instead of failing.
 */
final class VocabBoundTokenizer implements TextTokenizer, AutoCloseable {

    private final TextTokenizer inner;

    VocabBoundTokenizer(TextTokenizer inner) {
        this.inner = inner;
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
