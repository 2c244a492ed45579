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

    @Test
    void engineListsTakePolicyAndOneOtherEngine() {
        CliTest.Result r = CliTest.run("bench", "--preset", "tiny", "--engine", "onnxruntime,other");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--engine 'onnxruntime,other': give one engine, or policy and one other engine"
                + " separated by a comma (policy,onnxruntime) to measure them side by side"), r.err());
        CliTest.Result sync = CliTest.run("bench", "--preset", "tiny", "--sync", "adapters");
        assertEquals(2, sync.code());
        assertTrue(sync.err().contains("--sync is an option of the onnxruntime engine: add --engine onnxruntime"),
                sync.err());
    }
}
