package org.prefopt.backends.djl.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.backends.tokenizer.HfTokenizer;
import org.prefopt.backends.tokenizer.HfTokenizers;
import org.prefopt.backends.tokenizer.TinyTokenizer;

/** A model vocabulary padded beyond its tokenizer (Qwen2.5's 151,936 rows for 151,665 tokens) decodes padding to "". */
class VocabBoundTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void paddingIdsDecodeToNothingOnlyWhenTheModelIsLarger() throws Exception {
        TinyTokenizer.write(dir);
        try (HfTokenizer hf = HfTokenizers.load(dir)) {
            int n = hf.vocabSize();
            int[] ids = hf.encode("12+7=");
            int[] padded = new int[ids.length + 2];
            System.arraycopy(ids, 0, padded, 1, ids.length);
            padded[0] = n;              // the first padding row
            padded[ids.length + 1] = n + 40;
            // the plain tokenizer refuses ids it does not have, naming the vocabulary
            assertEquals("token id " + n + " at position 0 is outside the vocabulary [0, " + n + ")",
                    assertThrows(IllegalArgumentException.class, () -> hf.decode(padded, true)).getMessage());
            assertEquals("12+7=", VocabBoundTokenizer.forModel(n + 64, hf).decode(padded, true));
            assertSame(hf, VocabBoundTokenizer.forModel(n, hf), "no padding: the tokenizer as it is");
        }
    }
}
