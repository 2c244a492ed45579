package org.prefopt.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.cli.EvalCommandTest.Result;
import org.prefopt.launcher.rundir.RunDirectory;
import org.prefopt.launcher.rundir.RunLock;

/**
 * Issue #20: what an adversarial user met, each now a clear error naming the file, line or key, with nothing lost
 * and nothing mixed. Runs {@code prefopt} in this JVM on the fake policy (the third-party test plugin).
 */
class ReliabilityTest {

    @TempDir
    static Path dir;

    static final String RUN = """
            run { name = digits, seed = 7, steps = 6 }
            policy { type = fake, learning-rate = 2.0 }
            dataset { type = digits, count = 9 }
            sampler { type = in-order }
            reward = [ { type = digit } ]
            algorithm { type = reinforce, group-size = 4, prompts-per-step = 3 }
            generation { max-new-tokens = 2 }
            checkpoint { every = 3, keep-last = 3 }
            """;

    @BeforeAll
    static void installPlugin() throws IOException {
        EvalCommandTest.pluginsDir = EvalCommandTest.installEvalTestPlugin(
                Files.createDirectories(dir.resolve("plugins")));
    }

    static Result prefopt(String... args) {
        return EvalCommandTest.prefopt(args);
    }

    static Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Item 3: every bad run-level value at once, each with file:line and the key users wrote. */
    @Test
    void validateReportsEveryBadRunLevelValueAtOnceWithFileAndLine() throws IOException {
        Path f = file("bad-run.conf", """
                policy { type = fake }
                dataset { type = digits }
                reward = [ { type = digit } ]
                run { steps = 0, log-every = 0, reward-threads = 0, on-non-finite = ignore }
                generation {
                  temperature = 0
                  top-p = 1.5
                  top-k = -5
                  max-new-tokens = 0
                }
                prompt { template = "Q: no placeholder" }
                eval { every = -1, batch-size = 0, correct-reward = nope }
                checkpoint { keep-last = 0 }
                """);
        Result r = prefopt("validate", f.toString());
        assertEquals(2, r.code(), r.err());
        for (String expected : List.of(
                f + ":4: run.steps: must be between 1 and 2147483647 (got 0)",
                f + ":4: run.log-every: must be between 1 and 2147483647 (got 0)",
                f + ":4: run.reward-threads: must be between 1 and 1024 (got 0)",
                f + ":4: run.on-non-finite: ",
                f + ":6: generation.temperature: must be > 0: training rollouts are sampled (got 0.0)",
                f + ":7: generation.top-p: must be in (0, 1] (got 1.5)",
                f + ":8: generation.top-k: must be between 0 and 2147483647 (got -5)",
                f + ":9: generation.max-new-tokens: must be between 1 and 2147483647 (got 0)",
                f + ":11: prompt.template: must contain {question} where the example's question goes",
                f + ":12: eval.every: must be between 0 and 2147483647 (got -1)",
                f + ":12: eval.batch-size: must be between 1 and 2147483647 (got 0)",
                f + ":12: eval.correct-reward: must be 'first', 'total' or the name of one of the run's rewards"
                        + " (digit); got 'nope'",
                f + ":13: checkpoint.keep-last: must be between 1 and 2147483647 (got 0)",
                "sampler: the run file has no sampler section: add sampler { type = uniform }",
                "algorithm: the run file has no algorithm section: add algorithm { type = grpo }")) {
            assertTrue(r.err().contains(expected), "missing '" + expected + "' in:\n" + r.err());
        }
        assertTrue(r.err().startsWith("Invalid configuration (15 problems):"), r.err());
        // the same file is refused by run before anything is created
        Path runDir = dir.resolve("never");
        assertEquals(2, prefopt("run", f.toString(), "--run-dir", runDir.toString()).code());
        assertFalse(Files.exists(runDir));
    }

    /** Item 3: a run that fails after validation, before training anything, leaves no run directory behind. */
    @Test
    void aRunThatFailsBeforeTrainingLeavesNothingSoTheSameCommandWorksOnceFixed() throws IOException {
        Path f = file("missing-data.conf", RUN.replace("dataset { type = digits, count = 9 }",
                "dataset { type = digits, count = 0 }"));
        Path runDir = dir.resolve("fails-early");
        Result first = prefopt("run", f.toString(), "--run-dir", runDir.toString());
        assertEquals(1, first.code(), first.err());
        assertFalse(Files.exists(runDir), "a failed start must not leave " + runDir);
        Result second = prefopt("run", f.toString(), "--run-dir", runDir.toString());
        assertFalse(second.err().contains("already holds a run"), second.err());
    }

    /** Item 1: one writer per run directory; a lock left by a dead process is taken over. */
    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndAStaleLockIsTakenOver() throws IOException {
        Path f = file("locked.conf", RUN);
        Path runDir = dir.resolve("locked");
        assertEquals(0, prefopt("run", f.toString(), "--run-dir", runDir.toString()).code());
        try (RunLock held = RunLock.acquire(runDir, "run directory")) {
            Result r = prefopt("run", "--resume", runDir.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("run directory " + runDir + " is in use by another prefopt process (pid "
                    + ProcessHandle.current().pid() + " on "), r.err());
        }
        // what kill -9 leaves: the holder's line, but no lock held
        Files.writeString(runDir.resolve(RunDirectory.LOCK_FILE), "pid 999999999 on elsewhere since then\n");
        Result resumed = prefopt("run", "--resume", runDir.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals("", Files.readString(runDir.resolve(RunDirectory.LOCK_FILE)).strip(), "released after the run");
    }

    /** Item 2: resume refuses changes to what was trained, lists the keys, and records the safe ones. */
    @Test
    void resumeRefusesChangesToWhatWasTrainedAndRecordsSafeOnes() throws IOException {
        Path f = file("resumed.conf", RUN);
        Path runDir = dir.resolve("resumed");
        assertEquals(0, prefopt("run", f.toString(), "--run-dir", runDir.toString()).code());

        Result other = prefopt("run", "--resume", runDir.toString(), "-o", "algorithm.group-size=6",
                "-o", "run.seed=8");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("cannot resume " + runDir + " with a configuration that changes what the run"
                + " trains; these keys differ from the ones its checkpoints were trained with:\n"
                + "  algorithm.group-size: 4 -> 6\n  run.seed: 7 -> 8\n"), other.err());

        // a config.conf edited by hand is caught the same way
        Path conf = runDir.resolve(RunDirectory.CONFIG_FILE);
        String saved = Files.readString(conf);
        Files.writeString(conf, saved.replace("learning-rate=2", "learning-rate=3"));
        Result edited = prefopt("run", "--resume", runDir.toString());
        assertEquals(2, edited.code(), edited.err());
        assertTrue(edited.err().contains("policy.learning-rate: 2 -> 3"), edited.err());
        Files.writeString(conf, saved);

        Result longer = prefopt("run", "--resume", runDir.toString(), "-o", "run.steps=9");
        assertEquals(0, longer.code(), longer.err());
        String recorded = Files.readString(runDir.resolve(RunDirectory.RESUME_CHANGES));
        assertTrue(recorded.contains("\"key\":\"run.steps\",\"before\":6,\"after\":9"), recorded);
        assertEquals(9, Files.readAllLines(runDir.resolve(RunDirectory.METRICS_FILE)).size());
    }

    /** Item 7: a damaged newest checkpoint names the previous intact one, and --from-checkpoint resumes from it. */
    @Test
    void aDamagedNewestCheckpointOffersThePreviousOne() throws IOException {
        Path f = file("damaged.conf", RUN);
        Path runDir = dir.resolve("damaged");
        assertEquals(0, prefopt("run", f.toString(), "--run-dir", runDir.toString()).code());
        Path newest = runDir.resolve("checkpoints/step-6/policy");
        try (var files = Files.list(newest)) {
            for (Path p : files.toList()) {
                Files.writeString(p, "{ not json");
            }
        }
        Result r = prefopt("run", "--resume", runDir.toString(), "-o", "run.steps=8");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("the newest checkpoint " + runDir.resolve("checkpoints/step-6")
                + " cannot be loaded ("), r.err());
        assertTrue(r.err().contains("the previous checkpoint is " + runDir.resolve("checkpoints/step-3")
                + ": resume from it with prefopt run --resume " + runDir + " --from-checkpoint step-3"), r.err());

        Result back = prefopt("run", "--resume", runDir.toString(), "-o", "run.steps=8", "--from-checkpoint",
                "step-3");
        assertEquals(0, back.code(), back.err());
        assertEquals(8, Files.readAllLines(runDir.resolve(RunDirectory.METRICS_FILE)).size());
        try (var names = Files.list(runDir.resolve(RunDirectory.CHECKPOINTS))) {
            assertTrue(names.anyMatch(p -> p.getFileName().toString().startsWith("damaged-step-6-")),
                    "the damaged checkpoint is set aside, not deleted");
        }
    }

    /** Item 7: report on a run whose last metrics line a crash cut short. */
    @Test
    void reportSkipsATornLastMetricsLine() throws IOException {
        Path f = file("torn.conf", RUN);
        Path runDir = dir.resolve("torn");
        assertEquals(0, prefopt("run", f.toString(), "--run-dir", runDir.toString()).code());
        Files.writeString(runDir.resolve(RunDirectory.METRICS_FILE), "{\"step\":7,\"rew", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Result r = prefopt("report", runDir.toString());
        assertEquals(0, r.code(), r.err());
    }

    /** Item 4: includes resolve next to the including file, also when it is named without a directory. */
    @Test
    void includesResolveNextToTheIncludingFileAndAMissingOneIsAnError() throws IOException {
        String name = "include-test-" + UUID.randomUUID();
        Path child = Path.of(name + ".conf");
        Path extra = Path.of(name + "-extra.conf");
        try {
            Files.writeString(extra, "algorithm { group-size = 6 }\n");
            Files.writeString(child, RUN + "include \"" + extra.getFileName() + "\"\n");
            Result r = prefopt("config", child.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("group-size=6"), r.out());

            Files.writeString(child, RUN + "include \"missing-" + name + ".conf\"\n");
            Result missing = prefopt("config", child.toString());
            assertEquals(2, missing.code(), missing.err());
            assertTrue(missing.err().contains("missing-" + name + ".conf"), missing.err());
        } finally {
            Files.deleteIfExists(child);
            Files.deleteIfExists(extra);
        }
    }

    /** Item 7: small ones. */
    @Test
    void badNumbersAndInputsAreUsageErrors() throws IOException {
        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, "{\"completion\":\"caf\u00e9\",\"answer\":\"1\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        Result enc = prefopt("score", "--reward", "digit", "--input", latin1.toString(), "--output",
                dir.resolve("out.jsonl").toString());
        assertEquals(2, enc.code(), enc.err());
        assertTrue(enc.err().contains("--input " + latin1 + ":1: not valid UTF-8"), enc.err());
        assertFalse(Files.exists(dir.resolve("out.jsonl")));

        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        Result none = prefopt("score", "--reward", "digit", "--input", empty.toString(), "--output",
                dir.resolve("out.jsonl").toString());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("holds no completions (every line is blank)"), none.err());

        Result threads = prefopt("score", "--reward", "digit", "--threads", "-3", "--input", empty.toString(),
                "--output", dir.resolve("out.jsonl").toString());
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads must be >= 0 (got -3"), threads.err());

        Result sample = prefopt("data", "sample", "--dataset", "digits", "-n", "-3");
        assertEquals(2, sample.code(), sample.err());
        assertTrue(sample.err().contains("-n must be >= 0 (got -3)"), sample.err());
    }
}
