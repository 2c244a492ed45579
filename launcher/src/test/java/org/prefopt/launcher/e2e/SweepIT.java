package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prefopt sweep} through the distribution: two GRPO variants forked from a shared SFT base, two seeds each;
 * the sweep is killed with SIGKILL while a variant trains, then run again: finished variants are not redone, the
 * interrupted one is resumed or restarted, and the comparison report covers all of them.
 */
class SweepIT {

    private static final String SWEEP = """
            run { name = sweep-check, seed = 1, log-every = 1 }
            backend { type = djl-pytorch, device = cpu }
            policy { type = tiny, preset = tiny, learning-rate = 2e-3 }
            dataset { type = synthetic-arithmetic, style = gsm8k, count = 300, seed = 3, max-level = 2 }
            sampler { type = uniform }
            reward = [ { type = gsm8k-answer, weight = 1.0 } ]
            prompt { template = "{question}\\n" }
            generation { max-new-tokens = 16, temperature = 1.0 }
            eval { sets = [ { name = heldout, dataset { type = synthetic-arithmetic, style = gsm8k, count = 16,
                                                          seed = 99, max-level = 2 } } ] }
            checkpoint { every = 2, keep-last = 1 }
            stages = [ { name = warmup, steps = 6, algorithm { type = sft, prompts-per-step = 8 } } ]
            sweep {
              name = check
              defs { warmup = { name = warmup, steps = 6, algorithm { type = sft, prompts-per-step = 8 } } }
              variants = [
                { name = base }
                { name = all, fork-from = base, set { stages = [ ${sweep.defs.warmup},
                    { name = grpo, steps = 8, algorithm { type = grpo, group-size = 4, prompts-per-step = 4 } } ] } }
                { name = easy, fork-from = base, set { stages = [ ${sweep.defs.warmup},
                    { name = grpo, steps = 4, algorithm { type = grpo, group-size = 4, prompts-per-step = 4 },
                      filter = [ { type = difficulty, max = 1 } ] } ] } }
              ]
              grid { run.seed = [1, 2] }
              findings {
                plateau { set = heldout, variant = all, reference = base }
                non-inferior { set = heldout, variant = easy, reference = all, margin = 0.03 }
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aKilledSweepResumesWithoutRedoingFinishedVariants() throws Exception {
        Path file = dir.resolve("check.conf");
        Files.writeString(file, SWEEP);
        Path out = dir.resolve("out");
        Path sweepDir = out.resolve("check");

        Process first = Distribution.start(dir.resolve("first.log"), "sweep", file.toString(),
                "-o", "sweep.output-dir=" + out);
        Path doneMarker = sweepDir.resolve("state/base_seed-1.json");
        Path training = sweepDir.resolve("all_seed-1/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!(Files.exists(doneMarker) && Files.readString(doneMarker).contains("done")
                && Files.exists(training) && Files.readAllLines(training).size() > 7)) {
            assertTrue(first.isAlive(), "the sweep ended before it could be killed:\n"
                    + Files.readString(dir.resolve("first.log")));
            assertTrue(System.nanoTime() < deadline, "no progress:\n" + Files.readString(dir.resolve("first.log")));
            Thread.sleep(100);
        }
        first.destroyForcibly().waitFor(); // SIGKILL, like a lost terminal or a killed job
        FileTime baseMetrics = Files.getLastModifiedTime(sweepDir.resolve("base_seed-1/metrics.jsonl"));
        // the child run of the killed sweep stops too: its metrics stop growing
        Thread.sleep(3000);
        long linesAfterKill = Files.readAllLines(training).size();
        Thread.sleep(2000);
        assertEquals(linesAfterKill, Files.readAllLines(training).size(), "a variant kept training after the kill");

        Distribution.Result second = Distribution.run(dir, 1200, "sweep", file.toString(),
                "-o", "sweep.output-dir=" + out);
        assertEquals(0, second.exitCode(), second.output());
        assertTrue(second.output().contains("variant base_seed-1: finished earlier, not run again"), second.output());
        assertEquals(baseMetrics, Files.getLastModifiedTime(sweepDir.resolve("base_seed-1/metrics.jsonl")),
                "a finished variant was run again");
        for (String v : new String[] {"base_seed-1", "base_seed-2", "all_seed-1", "all_seed-2", "easy_seed-1",
                "easy_seed-2"}) {
            assertTrue(Files.readString(sweepDir.resolve("state/" + v + ".json")).contains("\"done\""), v);
        }
        assertEquals(14, Files.readAllLines(sweepDir.resolve("all_seed-2/metrics.jsonl")).size());
        assertEquals(10, Files.readAllLines(sweepDir.resolve("easy_seed-1/metrics.jsonl")).size());

        String md = Files.readString(sweepDir.resolve("comparison.md"));
        assertTrue(md.contains("| all_seed-1 | 8 / 14 |"), md);
        assertTrue(md.contains("| easy_seed-2 | 4 / 10 |"), md);
        assertTrue(md.contains("| easy (pooled over 2 of 2 runs) |"), md);
        // real evaluations: the Δ column pairs the runs' generations files, and each finding gets its verdict line
        assertTrue(md.contains("| Δ overall vs base (paired bootstrap 95%) |"), md);
        assertTrue(md.contains("\nFinding 1 (accuracy plateaus as difficulty rises): "), md);
        assertTrue(md.contains("\nFinding 2 (easy-only training is non-inferior with fewer steps): "), md);
        assertTrue(second.output().contains("comparison report: "), second.output());
    }
}
