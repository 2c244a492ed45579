package org.prefopt.backends.djl;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.TextTokenizer;

/** Test-only character tokenizer over 32 ids: 0 pad, 1 bos, 2 eos, 3.. the characters of {@link #CHARS}. */
final class TestTokenizer implements TextTokenizer {

    static final String CHARS = "abcdefghijklmnopqrstuvwxyz .!?"; // 29 + 3 specials = 32 ids
    static final int EOS = 2;

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) {
            int k = CHARS.indexOf(text.charAt(i));
            if (k < 0) {
                throw new IllegalArgumentException("test tokenizer cannot encode '" + text.charAt(i) + "'");
            }
            out[i] = k + 3;
        }
        return out;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id >= 3 && id - 3 < CHARS.length()) {
                sb.append(CHARS.charAt(id - 3));
            } else if (!skipSpecialTokens) {
                sb.append("<").append(id).append(">");
            }
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return 32;
    }

    @Override
    public Set<Integer> eosTokenIds() {
        return Set.of(EOS);
    }

    @Override
    public OptionalInt padTokenId() {
        return OptionalInt.of(0);
    }

    @Override
    public boolean hasChatTemplate() {
        return false;
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        throw new IllegalStateException("test tokenizer has no chat template");
    }
}
