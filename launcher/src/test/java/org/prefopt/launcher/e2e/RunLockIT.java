package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one run directory (issue #20): while one trains, a second {@code prefopt run --resume} of the same
 * directory exits at once with code 2 naming the holder, and the run's files are the first process's alone.
 */
class RunLockIT {

    @TempDir
    Path dir;

    @Test
    void aSecondProcessOnARunDirectoryIsRefusedWhileTheFirstTrains() throws Exception {
        Path conf = Files.writeString(dir.resolve("lock.conf"), """
                run { name = lock, seed = 1, steps = 400, log-every = 100 }
                backend { type = djl-pytorch, device = cpu, threads = 1 }
                policy { type = tiny, preset = tiny }
                dataset { type = synthetic-arithmetic, style = gsm8k, count = 200, seed = 1, max-level = 1 }
                sampler { type = uniform }
                reward = [ { type = gsm8k-answer } ]
                algorithm { type = sft, prompts-per-step = 8 }
                eval { at-start = false }
                checkpoint { every = 100 }
                """);
        Path runDir = dir.resolve("run");
        Path lock = runDir.resolve("run.lock");
        Process first = Distribution.start(dir.resolve("first.log"), "run", conf.toString(), "--run-dir",
                runDir.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // the run takes the lock first, then writes its configuration: wait for both
        while (!(Files.isRegularFile(lock) && Files.readString(lock).startsWith("pid ")
                && Files.isRegularFile(runDir.resolve("config.conf")))) {
            assertTrue(first.isAlive(), "the first run ended before it held the lock:\n"
                    + Files.readString(dir.resolve("first.log")));
            assertTrue(System.nanoTime() < deadline, "the first run did not take the lock in 120 s");
            Thread.sleep(50);
        }
        String holder = Files.readString(lock).strip();
        String config = Files.readString(runDir.resolve("config.conf"));

        Distribution.Result second = Distribution.run(dir, 120, "run", "--resume", runDir.toString());
        assertTrue(first.isAlive(), "the second process must be refused while the first still trains");
        assertEquals(2, second.exitCode(), second.output());
        assertTrue(second.output().contains("run directory " + runDir + " is in use by another prefopt process ("
                + holder + ")"), second.output());

        assertTrue(first.waitFor(300, TimeUnit.SECONDS), "the first run did not finish");
        assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.log")));
        List<String> metrics = Files.readAllLines(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        assertEquals(400, metrics.size());
        for (int i = 0; i < metrics.size(); i++) {
            assertTrue(metrics.get(i).startsWith("{\"step\":" + (i + 1) + ","), metrics.get(i));
        }
        assertEquals(config, Files.readString(runDir.resolve("config.conf")));
        assertEquals("", Files.readString(lock).strip(), "the lock is released when the run ends");
    }
}
