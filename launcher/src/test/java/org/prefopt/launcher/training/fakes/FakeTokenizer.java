package org.prefopt.launcher.training.fakes;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.TextTokenizer;

/** Characters are tokens (id = code point below 128); id 3 is the end-of-sequence token. */
public final class FakeTokenizer implements TextTokenizer {

    public static final int EOS = 3;

    @Override
    public int[] encode(String text) {
        return text.chars().map(c -> c & 0x7F).toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == EOS && skipSpecialTokens) {
                continue;
            }
            sb.append((char) id);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return 128;
    }

    @Override
    public Set<Integer> eosTokenIds() {
        return Set.of(EOS);
    }

    @Override
    public OptionalInt padTokenId() {
        return OptionalInt.empty();
    }

    @Override
    public boolean hasChatTemplate() {
        return false;
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        throw new IllegalStateException("the fake tokenizer has no chat template");
    }
}
