package org.prefopt.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.Main;
import org.prefopt.launcher.rundir.RunDirectory;

class CliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void typoInTypeAndUnknownKeyFailWithExitTwoAndOneReport() throws IOException {
        Path f = file("typo.conf", """
                run { steps = 10 }
                algorithm {
                  type = grpoo
                }
                dataset { type = synthetic, cuont = 5 }
                sampler { type = in-order }
                """);
        Result r = run("validate", f.toString());
        assertEquals(2, r.code());
        assertEquals("Invalid configuration (2 problems):\n"
                + "  " + f + ":3: algorithm.type: unknown algorithm 'grpoo'. Did you mean 'grpo'? Available algorithm"
                + " types: dpo, grpo.\n"
                + "  " + f + ":5: dataset.cuont: unknown option 'cuont' for dataset 'synthetic'. Did you mean 'count'?"
                + " Supported options: count, seed, style, type.\n", r.err());
        assertEquals("", r.out());
        assertEquals(2, run("config", f.toString()).code());
        assertEquals(2, run("run", f.toString()).code());
    }

    @Test
    void validateConfigAndRunOnAGoodFile() throws IOException {
        Path f = file("good.conf", """
                policy { type = tiny-test }
                algorithm { type = grpo }
                dataset { type = synthetic }
                sampler { type = in-order }
                reward = [ { type = exact } ]
                """);
        Result v = run("validate", f.toString(), "-o", "algorithm.group-size=16");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("valid (6 components)"), v.out());
        assertTrue(v.out().contains("  backend = backend 'cpu-test' from class path: "), v.out());

        Result c = run("config", f.toString(), "-o", "algorithm.group-size=16");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("group-size=16"), c.out());
        assertTrue(c.out().contains("name=good"), c.out());
    }

    @Test
    void helpUsageErrorsAndPlugins() {
        Result h = run("--help");
        assertEquals(0, h.code());
        for (String cmd : new String[] {"plugins", "config", "validate", "run"}) {
            assertTrue(h.out().contains(cmd), h.out());
            assertEquals(0, run(cmd, "--help").code(), cmd);
        }
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("validate").code());
        assertEquals(2, run("validate", dir.resolve("missing.conf").toString()).code());
        assertEquals(2, run("plugins", "--plugins-dir", dir.resolve("nope").toString()).code());

        Result p = run("plugins");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("""
                policy
                  tiny-test - a policy that only reports its backend
                """), p.out());
        assertTrue(p.out().contains("""
                      layers = 2
                      lora.enabled = false
                      lora.rank = 8
                """), p.out());
        assertTrue(p.out().contains("      path = <required>\n"), p.out());
        assertTrue(p.out().contains("gpu-test - test backend gpu-test [rank 10, unavailable here]"), p.out());
        assertTrue(p.out().contains("      from class path: "), p.out());
    }

    @Test
    void resumeReadsTheSavedConfigAndRefusesAMissingOne() throws IOException {
        Result r = run("run", "--resume", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds no config.conf"), r.err());
        Path runDir = Files.createDirectories(dir.resolve("old"));
        Files.writeString(runDir.resolve(RunDirectory.CONFIG_FILE), "algorithm { type = dpo }\n");
        Result ok = run("run", "--resume", runDir.toString(), "-o", "algorithm.beta=0.3");
        // the saved config and the override are read and checked: the run-level rules find no sampler and no data
        assertEquals(2, ok.code(), ok.err());
        assertTrue(ok.err().contains("sampler: the run file has no sampler section: add sampler { type = uniform }"),
                ok.err());
        Result bad = run("run", "--resume", runDir.toString(), "-o", "algorithm.bta=0.3");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("algorithm.bta: unknown option 'bta' for algorithm 'dpo'. Did you mean 'beta'?"),
                bad.err());
    }

    @Test
    void sweepValidatesEveryVariantBeforeRunningAndListsThemOnADryRun() throws IOException {
        Path bad = file("bad-sweep.conf", """
                algorithm { type = dpo }
                sweep {
                  output-dir = "%s"
                  variants = [ { name = a }, { name = b, set { algorithm.bta = 0.3 } } ]
                }
                """.formatted(dir.resolve("out").toString().replace("\\", "/")));
        Result r = run("sweep", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(bad + ":4: algorithm.bta: (variant b) unknown option 'bta' for algorithm 'dpo'"),
                r.err());
        assertTrue(!Files.exists(dir.resolve("out")), "nothing may run or be written when a variant is invalid");

        Path good = file("sweep.conf", """
                algorithm { type = dpo }
                dataset { type = synthetic }
                sampler { type = in-order }
                sweep {
                  name = s, output-dir = "%s"
                  variants = [ { name = a }, { name = b, fork-from = a, set { algorithm.beta = 0.3 } },
                               { name = c, set { run.steps = 30, policy { type = tiny-test, total-steps = 60 } } },
                               { name = d, set { run.steps = 30, policy { type = tiny-test, total-steps = 30 } } },
                               { name = e, set { stages = [ { name = warm, steps = 2, algorithm { type = dpo } },
                                                            { steps = 3 } ] } } ]
                  grid { run.seed = [1, 2] }
                }
                """.formatted(dir.resolve("out").toString().replace("\\", "/")));
        Result dry = run("sweep", good.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("10 variants, 1 at a time"), dry.out());
        assertTrue(dry.out().contains("  b_seed-2: pending, default run.steps, forks from a_seed-2, grid {run.seed=2}"),
                dry.out());
        // a variant that stops before its schedule ends is flagged (its learning rate would never decay)
        assertTrue(dry.out().contains("  c_seed-1: pending, 30 steps, learning-rate schedule over 60"
                + " (policy.total-steps differs from run.steps), grid {run.seed=1}"), dry.out());
        assertTrue(dry.out().contains("  d_seed-1: pending, 30 steps, learning-rate schedule over 30, grid"), dry.out());
        // a staged variant's length is its stages'
        assertTrue(dry.out().contains("  e_seed-1: pending, 5 steps in stages (warm 2 + stage 2 3), grid"), dry.out());

        Result none = run("sweep", file("plain.conf", "algorithm { type = dpo }\n").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("a sweep file is a run file plus a sweep"), none.err());
    }
}
