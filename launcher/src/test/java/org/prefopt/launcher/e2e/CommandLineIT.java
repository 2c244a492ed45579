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

    /** Issue #20: a model problem is reported once, as the model's (not "the run's"). */
    @Test
    void aDirectoryThatIsNoModelIsOneClearProblem() throws Exception {
        Path model = Files.createDirectories(dir.resolve("not-a-model"));
        Distribution.Result r = Distribution.run(dir, 120, "generate", "--model", model.toString(), "--prompt", "1+1=");
        assertEquals(2, r.exitCode(), r.output());
        // issue #23: --model is resolved (run, adapter, checkpoint) before anything is assembled
        assertTrue(r.output().contains("generate: --model " + model + " is neither a run directory"), r.output());
        assertTrue(!r.output().contains("the run"), r.output());
    }

    @Test
    void theExampleConfigsValidate() throws Exception {
        try (var files = Files.list(Distribution.example("tiny"))) {
            for (Path conf : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
                // a sweep file validates every variant on a dry run
                boolean sweep = Files.readString(conf).contains("\nsweep {");
                Distribution.Result r = sweep
                        ? Distribution.run(dir, 120, "sweep", conf.toString(), "--dry-run", "-o",
                                "sweep.output-dir=" + dir.resolve("sweeps"))
                        : Distribution.run(dir, 120, "validate", conf.toString());
                assertEquals(0, r.exitCode(), conf + ":\n" + r.output());
                assertTrue(!sweep || r.output().contains("variants, 1 at a time"), r.output());
            }
        }
    }

    @Test
    void dataStatsCountsTiersAndNumericAnswersAndListsSkippedRecords() throws Exception {
        Path data = dir.resolve("math.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"problem\":\"p1\",\"solution\":\"so $\\\\boxed{3}$\",\"level\":\"Level 1\",\"type\":\"Algebra\"}",
                "{\"problem\":\"p2\",\"solution\":\"so $\\\\boxed{x+1}$\",\"level\":\"Level 2\",\"type\":\"Algebra\"}",
                "{\"problem\":\"p3\",\"solution\":\"so $\\\\boxed{\\\\frac{1}{2}}$\",\"level\":\"Level ?\",\"type\":\"Algebra\"}",
                "{\"problem\":\"p4\",\"solution\":\"so $\\\\boxed{0.5}$\",\"level\":\"Level 2\",\"type\":\"Geometry\"}") + "\n");
        Distribution.Result r = Distribution.run(dir, 120, "data", "stats", "--dataset", "math", "--path", data.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("examples: 3"), r.output());
        assertTrue(r.output().contains("by_difficulty: {1=1, 2=2}"), r.output());
        assertTrue(r.output().contains("numeric_answers: 2"), r.output());
        assertTrue(r.output().contains("math.jsonl:3: level \"Level ?\" is not one of Level 1..Level 5"), r.output());
    }

    @Test
    void scoreGradesAFileAndReportsTheMean() throws Exception {
        Path in = dir.resolve("gen.jsonl");
        Files.writeString(in, "{\"completion\":\"so the answer is \\\\boxed{\\\\frac{1}{2}}\",\"answer\":\"0.5\"}\n"
                + "{\"completion\":\"I think \\\\boxed{3}\",\"answer\":\"4\"}\n");
        Path out = dir.resolve("scored.jsonl");
        Distribution.Result r = Distribution.run(dir, 120, "score", "--reward", "math-answer", "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("math-answer: 2 lines scored, mean reward 0.5000 over 2 applicable"), r.output());
        java.util.List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).contains("\"reward\":1.0") && lines.get(0).contains("\"extracted\":\"\\\\frac{1}{2}\""),
                lines.get(0));
        assertTrue(lines.get(1).contains("\"reward\":0.0"), lines.get(1));
    }

    @Test
    void grpoWithTheFloat16EngineLogsTheMismatchAndCorrectsIt() throws Exception {
        // a LoRA policy (engine.sync = auto: adapters fed to one session) generating through a float16 export:
        // the engine's log-probs differ from the policy's, which GRPO reports and weighs (tis)
        Path conf = Files.writeString(dir.resolve("fp16.conf"), """
                run { name = fp16-engine, seed = 1, log-every = 1 }
                backend { type = djl-pytorch, device = cpu, threads = 1 }
                policy { type = tiny, preset = tiny, learning-rate = 1e-3, lora { enabled = true, rank = 4, alpha = 8 } }
                engine { type = onnxruntime, threads = 1, dtype = float16 }
                dataset { type = synthetic-arithmetic, style = gsm8k, count = 50, seed = 1, max-level = 1 }
                sampler { type = uniform }
                reward = [ { type = length, max-length = 8, buffer-length = 7, unit = tokens } ]
                prompt { template = "{question}\\n" }
                generation { max-new-tokens = 8, temperature = 1.0 }
                stages = [ { name = grpo, steps = 3, algorithm { type = grpo, group-size = 4, prompts-per-step = 2,
                                                                 engine-correction = tis } } ]
                """);
        Path run = dir.resolve("run");
        Distribution.Result r = Distribution.run(dir, 300, "run", conf.toString(), "--run-dir", run.toString());
        assertEquals(0, r.exitCode(), r.output());
        var steps = Distribution.metrics(run, "engine/logprob_abs_diff");
        assertEquals(3, steps.size(), steps.toString());
        for (var step : steps) {
            double diff = step.get("engine/logprob_abs_diff").asDouble();
            // float32 engines differ by about 1e-7 (docs/engines.md); float16 rounding shows (5e-5 measured)
            assertTrue(diff > 1e-6 && diff < 2e-2, "float16 engine vs policy: " + step);
        }
    }

    @Test
    void benchMeasuresBothEnginesSideBySide() throws Exception {
        // toy sizes: this checks the command (one row per engine, the sync after an update), not the speed
        Distribution.Result r = Distribution.run(dir, 300, "bench", "--preset", "tiny", "--threads", "1",
                "--batch", "2", "--new-tokens", "4", "--train-batch", "2", "--train-len", "16", "--repeats", "1",
                "--lora-rank", "2", "--engine", "policy,onnxruntime", "--sync", "adapters", "--json");
        assertEquals(0, r.exitCode(), r.output());
        String line = r.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(
                () -> new AssertionError("no JSON line in:\n" + r.output()));
        com.fasterxml.jackson.databind.JsonNode o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertEquals(2, o.get("engines").size(), line);
        assertEquals("policy", o.get("engines").get(0).get("engine").asText(), line);
        assertEquals("onnxruntime", o.get("engines").get(1).get("engine").asText(), line);
        for (var e : o.get("engines")) {
            assertTrue(e.get("generation_tokens_per_s").asDouble() > 0, line);
            assertTrue(e.get("sync_after_update_seconds").asDouble() >= 0, line);
        }
        assertEquals("adapters", o.get("engine_sync").asText(), line);
    }

    @Test
    void benchReportsThroughputAndTheTrainingPeakWithGradientCheckpointing() throws Exception {
        // the tiny preset at toy sizes: this checks the command, not the speed (prefopt bench is the benchmark)
        Distribution.Result r = Distribution.run(dir, 300, "bench", "--preset", "tiny", "--threads", "1",
                "--batch", "2", "--new-tokens", "4", "--train-batch", "2", "--train-len", "16", "--repeats", "1",
                "--gradient-checkpointing", "--logits-chunk-tokens", "8", "--json");
        assertEquals(0, r.exitCode(), r.output());
        String line = r.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(
                () -> new AssertionError("no JSON line in:\n" + r.output()));
        com.fasterxml.jackson.databind.JsonNode o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertEquals("tiny", o.get("model").asText());
        assertTrue(o.get("gradient_checkpointing").asBoolean(), line);
        assertEquals(8, o.get("logits_chunk_tokens").asInt(), line);
        assertTrue(o.get("generation_tokens_per_s").asDouble() > 0, line);
        assertTrue(o.get("train_tokens_per_s").asDouble() > 0, line);
        // the DJL policy counts its engine ops: at least one per layer and decoding step
        assertTrue(o.get("generation_ops_per_token").asDouble() >= 2, line);
        if (Files.isRegularFile(Path.of("/proc/self/clear_refs"))) {
            // at least the JVM itself is resident
            assertTrue(o.get("train_peak_rss_bytes").asLong() > 16L << 20, line);
            assertTrue(o.get("generation_peak_rss_bytes").asLong() > 16L << 20, line);
        }

        Distribution.Result lora = Distribution.run(dir, 300, "bench", "--preset", "tiny", "--threads", "1",
                "--batch", "2", "--new-tokens", "4", "--train-batch", "2", "--train-len", "16", "--repeats", "1",
                "--lora-rank", "2", "--dtype", "float16");
        assertEquals(0, lora.exitCode(), lora.output());
        assertTrue(lora.output().contains("fwd+bwd+AdamW, LoRA rank 2)"), lora.output());
        assertTrue(lora.output().contains("/float16, 1 threads"), lora.output());

        Distribution.Result bf16 = Distribution.run(dir, 300, "bench", "--preset", "tiny", "--dtype", "bfloat16");
        assertEquals(2, bf16.exitCode(), bf16.output());
        assertTrue(bf16.output().contains("backend.dtype"), bf16.output());
    }
}
