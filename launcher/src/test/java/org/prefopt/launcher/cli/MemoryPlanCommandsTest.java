package org.prefopt.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory plan in validate, run and sweep --dry-run, with the test plugin's policy (its plan: weights 1 MiB per
 * layer, full fine-tuning 3 MiB more per layer, KV cache 64 KiB per row and layer, activations 128 KiB per training
 * row and layer; on the gpu-test backend no runtime line is added).
 */
class MemoryPlanCommandsTest {

    @TempDir
    Path dir;

    /** 2 layers, full fine-tuning: resident 8 MiB; GRPO 8 x 8 = 64 rows: generation 8 MiB, training 16 MiB; peak 24 MiB. */
    private Path gpuRun(String extra) throws IOException {
        return Files.writeString(dir.resolve("run.conf"), """
                backend { type = gpu-test }
                policy { type = tiny-test }
                algorithm { type = grpo }
                dataset { type = synthetic }
                sampler { type = in-order }
                reward = [ { type = exact } ]
                """ + extra);
    }

    @Test
    void validatePrintsThePlanWithPhasesAndPeak() throws IOException {
        CliTest.Result r = CliTest.run("validate", gpuRun("").toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("memory plan (model shape: test shape, 2 layers; device cuda:0, float32, engine policy):"),
                out);
        assertTrue(out.contains("sizes: algorithm (grpo): 8 prompts x 8 completions generated, micro-batches of 64"
                + " sequences; prompts up to 256 tokens (memory.prompt-tokens), completions up to 256"
                + " (generation.max-new-tokens)"), out);
        assertTrue(out.matches("(?s).*\\n  weights +2\\.00 MiB  resident +1 MiB per layer\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  KV cache +8\\.00 MiB  generation +64 rows\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  activations +16\\.00 MiB  training +64 rows\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  peak +24\\.00 MiB +resident \\+ training: not checked: device cuda:0: its"
                + " memory cannot be queried here; state it with memory.limit = 80GiB\\n.*"), out);
    }

    @Test
    void aPlanAboveTheStatedLimitFailsNamingTheSettingsThatFit() throws IOException {
        Path f = gpuRun("memory { limit = 20MiB }\n");
        CliTest.Result r = CliTest.run("validate", f.toString());
        assertEquals(2, r.code(), r.out());
        assertEquals("Invalid configuration (1 problem):\n"
                + "  " + f + ":7: memory.limit: the memory plan's peak, 24.00 MiB (training phase), exceeds 20.00 MiB"
                + " (memory.limit = 20MiB). Settings that lower it:\n"
                + "      policy.lora.enabled = true: peak 18.00 MiB (fits)\n"
                + "      algorithm.prompts-per-step = 4: peak 16.00 MiB (fits)\n"
                + "      all of: policy.lora.enabled = true, algorithm.prompts-per-step = 4: peak 10.00 MiB (fits)\n"
                + "    To run anyway: memory.limit = none, or prefopt run --ignore-memory-plan.\n", r.err());
        assertTrue(r.out().contains("EXCEEDS 20.00 MiB (memory.limit = 20MiB)"), r.out());

        CliTest.Result fixed = CliTest.run("validate", f.toString(), "-o", "policy.lora.enabled=true");
        assertEquals(0, fixed.code(), fixed.err());
        assertTrue(fixed.out().contains("fits in 20.00 MiB"), fixed.out());
        assertEquals(0, CliTest.run("validate", f.toString(), "-o", "memory.limit=none").code());
    }

    @Test
    void runRefusesTheSameWayAndTheOverrideGoesOn() throws IOException {
        Path f = gpuRun("memory { limit = 20MiB }\n");
        CliTest.Result refused = CliTest.run("run", f.toString(), "--run-dir", dir.resolve("r1").toString());
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.err().contains("policy.lora.enabled = true: peak 18.00 MiB (fits)"), refused.err());
        assertFalse(Files.exists(dir.resolve("r1")), "nothing was started");

        CliTest.Result forced = CliTest.run("run", f.toString(), "--run-dir", dir.resolve("r2").toString(),
                "--ignore-memory-plan");
        assertTrue(forced.out().contains("EXCEEDS 20.00 MiB"), forced.out());
        // past the memory rule (the test policy cannot train, so the run itself fails later)
        assertFalse(forced.err().contains("Invalid configuration"), forced.err());

        // a run that fits prints one line, not the table
        CliTest.Result fits = CliTest.run("run", gpuRun("memory { limit = 80GiB }\n").toString(), "--run-dir",
                dir.resolve("r3").toString());
        assertTrue(fits.out().contains("memory plan: peak "), fits.out());
        assertTrue(fits.out().contains("fits in 80.00 GiB"), fits.out());
        assertFalse(fits.out().contains("  sizes: "), fits.out());
    }

    @Test
    void aFileWithOtherProblemsStillShowsItsPlanAndTheMemoryProblemJoinsThem() throws IOException {
        Path f = gpuRun("memory { limit = 20MiB }\nfilter = [ { type = no-such-filter } ]\n");
        CliTest.Result r = CliTest.run("validate", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.out().contains("(the run file has problems, listed below; the memory plan of what resolved:)"),
                r.out());
        assertTrue(r.out().contains("EXCEEDS 20.00 MiB"), r.out());
        assertTrue(r.err().startsWith("Invalid configuration (2 problems):"), r.err());
        assertTrue(r.err().contains("filter.0.type: unknown filter 'no-such-filter'"), r.err());
        assertTrue(r.err().contains("memory.limit: the memory plan's peak, 24.00 MiB"), r.err());
    }

    @Test
    void validateTakesSeveralFilesAndReportsTheProblemsOfAll() throws IOException {
        Path good = gpuRun("");
        Path small = Files.writeString(dir.resolve("small.conf"), "include \"run.conf\"\nmemory { limit = 20MiB }\n");
        CliTest.Result r = CliTest.run("validate", good.toString(), small.toString());
        assertEquals(2, r.code());
        assertTrue(r.out().contains("== " + good + "\n"), r.out());
        assertTrue(r.out().contains("== " + small + "\n"), r.out());
        assertEquals(2, r.out().split("memory plan \\(model shape").length - 1, r.out());
        assertTrue(r.err().startsWith("Invalid configuration (1 problem):\n  " + small + ":2: memory.limit:"), r.err());
    }

    @Test
    void badLimitsAreConfigurationProblems() throws IOException {
        Path f = gpuRun("memory { limit = lots, prompt-tokens = 0 }\n");
        CliTest.Result r = CliTest.run("validate", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(f + ":7: memory.limit: must be auto, none or a size such as 80GiB or 24GB"
                + " (got 'lots')"), r.err());
        assertTrue(r.err().contains(f + ":7: memory.prompt-tokens: must be between 1 and"), r.err());
    }

    @Test
    void sweepDryRunListsEachVariantsPeak() throws IOException {
        gpuRun("");
        Path sweep = Files.writeString(dir.resolve("sweep.conf"), """
                include "run.conf"
                sweep {
                  name = mem, output-dir = "%s"
                  variants = [
                    { name = full }
                    { name = lora, set { policy.lora.enabled = true } }
                  ]
                }
                """.formatted(dir.resolve("out").toString().replace("\\", "/")));
        CliTest.Result r = CliTest.run("sweep", sweep.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*  full: .*; memory peak 24\\.00 MiB \\(training\\), all parts 32\\.00 MiB\\n.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*  lora: .*; memory peak 18\\.00 MiB \\(training\\), all parts 26\\.00 MiB\\n.*"),
                r.out());
    }
}
