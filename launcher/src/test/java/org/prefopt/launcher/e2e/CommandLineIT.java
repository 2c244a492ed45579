package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's commands with the real bundled plugins. */
class CommandLineIT {

    @TempDir
    Path dir;

    @Test
    void pluginsListsTheBundledComponentsOfEverySlot() throws Exception {
        Distribution.Result r = Distribution.run(dir, 120, "plugins");
        assertEquals(0, r.exitCode(), r.output());
        for (String name : new String[] {"djl-pytorch", "hf", "tiny", "gsm8k", "math", "jsonl", "preference-jsonl",
                "synthetic-arithmetic", "difficulty", "numeric-answer", "uniform", "curriculum", "pass-rate",
                "gsm8k-answer", "math-answer", "format", "length", "grpo", "sft", "dpo"}) {
            assertTrue(r.output().contains(name), "plugins output lacks " + name + ":\n" + r.output());
        }
    }

    @Test
    void aTypoInATypeAndAnUnknownKeyAreReportedTogetherWithExitCode2() throws Exception {
        Path run = dir.resolve("bad.conf");
        Files.writeString(run, """
                policy { type = tiny }
                algorithm { type = grpoo }
                sampler { type = uniform, sead = 3 }
                """);
        Distribution.Result r = Distribution.run(dir, 120, "validate", run.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("bad.conf:2: algorithm.type: unknown algorithm 'grpoo'. Did you mean 'grpo'?"),
                r.output());
        assertTrue(r.output().contains("bad.conf:3: sampler.sead: unknown option 'sead' for sampler 'uniform'"),
                r.output());
    }

    @Test
    void theExampleConfigsValidate() throws Exception {
        try (var files = Files.list(Distribution.example("tiny"))) {
            for (Path conf : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
                Distribution.Result r = Distribution.run(dir, 120, "validate", conf.toString());
                assertEquals(0, r.exitCode(), conf + ":\n" + r.output());
            }
        }
    }
}
