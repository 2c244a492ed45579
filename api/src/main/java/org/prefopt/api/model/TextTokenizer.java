package org.prefopt.api.model;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** The policy's tokenizer and chat template. */
public interface TextTokenizer {

    /** Token ids of {@code text}, without adding special tokens (templates add their own). */
    int[] encode(String text);

    String decode(int[] ids, boolean skipSpecialTokens);

    int vocabSize();

    /** Ids that end a generation (from generation_config.json and tokenizer_config.json). */
    Set<Integer> eosTokenIds();

    OptionalInt padTokenId();

    boolean hasChatTemplate();

    /**
     * Renders {@code messages} with the tokenizer's chat template exactly as the template defines it.
     *
     * @throws IllegalStateException if the tokenizer has no chat template
     */
    String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt);
}
