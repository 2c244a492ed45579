package org.prefopt.backends.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.ChatMessage;

class TinyTokenizerTest {

    @TempDir
    Path dir;
    HfTokenizer tokenizer;

    @BeforeEach
    void writeAndLoad() {
        TinyTokenizer.write(dir);
        tokenizer = HfTokenizers.load(dir);
    }

    @AfterEach
    void close() {
        tokenizer.close();
    }

    @Test
    void roundTripsRandomPrintableAscii() {
        Random random = new Random(7);
        for (int n = 0; n < 200; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(80);
            for (int i = 0; i < length; i++) {
                int c = random.nextInt(96);
                b.append(c == 95 ? '\n' : (char) (' ' + c));
            }
            String text = b.toString();
            int[] ids = tokenizer.encode(text);
            assertEquals(text.length(), ids.length, text);
            for (int i = 0; i < ids.length; i++) {
                assertEquals(text.charAt(i), TinyTokenizer.character(ids[i]));
            }
            assertEquals(text, tokenizer.decode(ids, false));
            assertEquals(text, tokenizer.decode(ids, true));
        }
    }

    @Test
    void idsAndSpecialTokens() {
        assertEquals(TinyTokenizer.VOCAB_SIZE, tokenizer.vocabSize());
        assertEquals(99, TinyTokenizer.VOCAB_SIZE);
        assertArrayEquals(new int[] {0, 1, 17, 34, 95}, tokenizer.encode("\n 0A~"));
        assertEquals(Set.of(TinyTokenizer.IM_END_ID, TinyTokenizer.END_OF_TEXT_ID), tokenizer.eosTokenIds());
        assertEquals(OptionalInt.of(TinyTokenizer.END_OF_TEXT_ID), tokenizer.padTokenId());
        assertEquals(OptionalInt.of(TinyTokenizer.IM_START_ID), tokenizer.tokenId(TinyTokenizer.IM_START));
        assertEquals(OptionalInt.of(TinyTokenizer.IM_END_ID), tokenizer.tokenId(TinyTokenizer.IM_END));
        assertEquals(OptionalInt.of(TinyTokenizer.END_OF_TEXT_ID), tokenizer.tokenId(TinyTokenizer.END_OF_TEXT));
        // Outside the character set nothing is produced (documented limitation).
        assertArrayEquals(new int[] {1}, tokenizer.encode("\u00e9 "));
    }

    @Test
    void chatMlTemplate() {
        String rendered = tokenizer.applyChatTemplate(
                List.of(new ChatMessage("system", "Solve."), new ChatMessage("user", "2+3?")), true);
        assertEquals("<|im_start|>system\nSolve.<|im_end|>\n<|im_start|>user\n2+3?<|im_end|>\n<|im_start|>assistant\n",
                rendered);
        int[] ids = tokenizer.encode(rendered);
        assertEquals(TinyTokenizer.IM_START_ID, ids[0]);
        assertEquals(rendered, tokenizer.decode(ids, false));
        assertEquals("system\nSolve.\nuser\n2+3?\nassistant\n", tokenizer.decode(ids, true));
        assertTrue(tokenizer.applyChatTemplate(List.of(new ChatMessage("user", "x")), false).endsWith("<|im_end|>\n"));
    }

    @Test
    void rewritingIsIdempotent() {
        TinyTokenizer.write(dir);
        try (HfTokenizer again = HfTokenizers.load(dir)) {
            assertArrayEquals(tokenizer.encode("12 + 30 = 42"), again.encode("12 + 30 = 42"));
        }
    }
}
