package org.prefopt.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code prefopt bench}: argument checks (runs on the real engine: CommandLineIT). */
class BenchCommandTest {

    @Test
    void outOfRangeSizesAreUsageErrorsNamingTheOption() {
        CliTest.Result r = CliTest.run("bench", "--preset", "tiny", "--logits-chunk-tokens", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--logits-chunk-tokens must be >= 0 (got -1)"), r.err());
        CliTest.Result len = CliTest.run("bench", "--preset", "tiny", "--train-len", "3");
        assertEquals(2, len.code());
        assertTrue(len.err().contains("--train-len must be >= 4 (got 3)"), len.err());
        CliTest.Result rank = CliTest.run("bench", "--preset", "tiny", "--lora-rank", "-2");
        assertTrue(rank.err().contains("--lora-rank must be >= 0 (got -2)"), rank.err());
    }
}
