package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * Issue #23 through the distribution: a tiny full fine-tuning run exported as a Hugging Face checkpoint becomes the
 * base of a 3-step LoRA SFT run; its adapter exported with {@code --format peft} has PEFT's file and key names and
 * the run's r/alpha, and loaded back onto the base ({@code generate --model <adapter>}) gives the run's greedy tokens
 * and identical log-probs; exported with {@code --format hf --merge}, the merged checkpoint gives the same greedy
 * tokens and log-probs within 1e-4; {@code eval} on the adapter gives the run's greedy completions. What cannot
 * be exported is one clear line with exit code 2.
 */
class ExportRoundTripIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "What is 2 + 3?";

    @TempDir
    Path dir;

    private static String conf(String name, int steps, String policy) {
        return """
                run { name = %s, seed = 3, steps = %d, log-every = 1 }
                backend { type = djl-pytorch, device = cpu, threads = 1 }
                policy { %s }
                dataset { type = synthetic-arithmetic, style = gsm8k, count = 64, seed = 1, max-level = 1 }
                sampler { type = uniform }
                reward = [ { type = gsm8k-answer } ]
                prompt { template = "{question}\\n" }
                algorithm { type = sft, prompts-per-step = 4 }
                eval { at-start = false, sets = [] }
                """.formatted(name, steps, policy);
    }

    private Distribution.Result prefopt(String... args) throws Exception {
        return Distribution.run(dir, 300, args);
    }

    private Distribution.Result ok(String... args) throws Exception {
        Distribution.Result r = prefopt(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + ":\n" + r.output());
        return r;
    }

    private void refused(String expected, String... args) throws Exception {
        Distribution.Result r = prefopt(args);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(expected), "expected '" + expected + "' in:\n" + r.output());
    }

    /** The greedy completion of {@link #PROMPT}: its JSON line (tokens, logprobs). */
    private JsonNode greedy(Path model, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt", PROMPT,
                "--greedy", "--max-new-tokens", "12", "--json", "--threads", "1"));
        args.addAll(List.of(more));
        Distribution.Result r = ok(args.toArray(String[]::new));
        String line = r.output().lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON line in:\n" + r.output()));
        return JSON.readTree(line);
    }

    @Test
    void peftAndMergedExportsGenerateWhatTheRunGenerates() throws Exception {
        Path full = dir.resolve("full");
        ok("run", Files.writeString(dir.resolve("full.conf"), conf("full", 2,
                "type = tiny, preset = tiny, learning-rate = 1e-2")).toString(), "--run-dir", full.toString());
        refused("export: --format peft: run " + full + " (step-2) has no LoRA adapter (the run trained every weight:"
                + " full fine-tuning); export it with --format hf", "export", "--model", full.toString(), "--format",
                "peft", "--out", dir.resolve("x").toString());
        refused("export: --format 'onnx2': unknown format; choose one of peft, hf, onnx", "export", "--model",
                full.toString(), "--format", "onnx2", "--out", dir.resolve("x").toString());
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Files.copy(full.resolve(RunDirectory.CONFIG_FILE), fresh.resolve(RunDirectory.CONFIG_FILE));
        refused("export: run directory " + fresh + " has no complete checkpoint under checkpoints/", "export",
                "--model", fresh.toString(), "--format", "hf", "--out", dir.resolve("x").toString());

        // a full fine-tuning run exports as a Hugging Face checkpoint: the LoRA run's base
        Path base = dir.resolve("base");
        ok("export", "--model", full.toString(), "--format", "hf", "--out", base.toString());
        // the same command writes the ONNX decoder of a run (the engine's own export; checked in backends' tests)
        Path onnx = dir.resolve("onnx");
        ok("export", "--model", full.toString(), "--format", "onnx", "--out", onnx.toString());
        assertTrue(Files.size(onnx.resolve("model.onnx")) > 0, "model.onnx written");
        assertTrue(Files.isRegularFile(onnx.resolve("config.json")));
        refused("export: --lora-inputs: run " + full + " (step-2) has no LoRA adapter; export it without"
                + " --lora-inputs", "export", "--model", full.toString(), "--format", "onnx", "--lora-inputs", "--out",
                dir.resolve("x").toString());
        Path lora = dir.resolve("lora");
        ok("run", Files.writeString(dir.resolve("lora.conf"), conf("lora", 3, "type = hf, path = \""
                + base + "\", learning-rate = 2e-2, lora { enabled = true, rank = 4, alpha = 8, dropout = 0.0 }"))
                .toString(), "--run-dir", lora.toString());
        refused("add --merge to write the base with the adapter merged in", "export", "--model", lora.toString(),
                "--format", "hf", "--out", dir.resolve("x").toString());

        Path adapter = dir.resolve("adapter");
        ok("export", "--model", lora.toString(), "--format", "peft", "--out", adapter.toString());
        JsonNode cfg = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
        assertEquals("LORA", cfg.get("peft_type").asText());
        assertEquals("CAUSAL_LM", cfg.get("task_type").asText());
        assertEquals(4, cfg.get("r").asInt());
        assertEquals(8, cfg.get("lora_alpha").asInt());
        assertEquals(0.0, cfg.get("lora_dropout").asDouble());
        assertEquals(base.toAbsolutePath().normalize().toString(), cfg.get("base_model_name_or_path").asText());
        assertEquals(7, cfg.get("target_modules").size());
        List<String> keys = safetensorsKeys(adapter.resolve("adapter_model.safetensors"));
        assertEquals(2 * 7 * 2, keys.size(), keys.toString()); // 2 layers x 7 projections x (A, B)
        assertTrue(keys.contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"), keys.toString());
        assertTrue(keys.contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"), keys.toString());

        // the training export: base weights, the adapter's A/B as graph inputs, the adapter's values beside it
        Path loraInputs = dir.resolve("lora-inputs");
        ok("export", "--model", lora.toString(), "--format", "onnx", "--lora-inputs", "--out", loraInputs.toString());
        assertEquals(keys, safetensorsKeys(loraInputs.resolve("adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(loraInputs.resolve("model.onnx")));

        Path merged = dir.resolve("merged");
        ok("export", "--model", lora.toString(), "--format", "hf", "--merge", "--out", merged.toString());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json")) {
            assertTrue(Files.isRegularFile(merged.resolve(f)), "merged export lacks " + f);
        }
        if (Files.getFileStore(merged).supportsFileAttributeView("posix")) {
            // readable by other users and tools, unlike the private temporary directory it was written through
            assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(merged)));
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(merged.resolve("model.safetensors"))));
        }

        JsonNode run = greedy(lora);
        JsonNode fromAdapter = greedy(adapter);
        JsonNode fromMerged = greedy(merged);
        JsonNode fromBase = greedy(base);
        assertEquals(run.get("tokens"), fromAdapter.get("tokens"));
        assertEquals(run.get("logprobs"), fromAdapter.get("logprobs"), "adapter loaded back onto its base");
        assertEquals(run.get("tokens"), fromMerged.get("tokens"));
        double[] r = doubles(run.get("logprobs"));
        double[] m = doubles(fromMerged.get("logprobs"));
        double worst = 0;
        for (int i = 0; i < r.length; i++) {
            worst = Math.max(worst, Math.abs(r[i] - m[i]));
        }
        assertTrue(worst <= 1e-4, "merged vs run log-probs differ by " + worst);
        // the ONNX Runtime engine generates the same from the run directory (its LoRA merged into the export)
        JsonNode viaOnnx = greedy(lora, "--engine", "onnxruntime");
        assertEquals(run.get("tokens"), viaOnnx.get("tokens"), "onnxruntime engine vs policy engine");
        double[] o = doubles(viaOnnx.get("logprobs"));
        for (int i = 0; i < r.length; i++) {
            assertEquals(r[i], o[i], 1e-4, "onnxruntime log-prob of token " + i);
        }
        // the adapter matters: without it the base gives other log-probs, so the equalities above say something
        double[] b = doubles(fromBase.get("logprobs"));
        assertTrue(Math.abs(b[0] - r[0]) > 1e-3 || !fromBase.get("tokens").equals(run.get("tokens")),
                "the 3 LoRA steps changed nothing: " + run + " vs base " + fromBase);

        // eval takes the adapter too: the same greedy completions as the run directory's checkpoint
        List<String> fromRun = evalCompletions(lora, "eval-run");
        List<String> adapterEval = evalCompletions(adapter, "eval-adapter", "--config", dir.resolve("lora.conf")
                .toString());
        assertEquals(fromRun, adapterEval);

        System.out.printf("export round trip: greedy tokens %s; adapter log-probs identical; merged max |diff| %.2e%n",
                run.get("tokens"), worst);
    }

    /** The greedy completions of {@code eval} on 3 synthetic problems, in order. */
    private List<String> evalCompletions(Path model, String out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("eval", "--model", model.toString(), "--dataset",
                "synthetic-arithmetic", "-O", "count=3", "-O", "seed=5", "-O", "max-level=1", "-O", "style=gsm8k",
                "--name", "probe", "--samples", "0", "--out", dir.resolve(out).toString()));
        args.addAll(List.of(more));
        ok(args.toArray(String[]::new));
        List<String> completions = new ArrayList<>();
        try (var files = Files.list(dir.resolve(out).resolve("eval/probe"))) {
            Path generations = files.filter(f -> f.getFileName().toString().endsWith("-generations.jsonl"))
                    .findFirst().orElseThrow();
            for (String line : Files.readAllLines(generations)) {
                completions.add(JSON.readTree(line).get("completion").asText());
            }
        }
        assertEquals(3, completions.size(), completions.toString());
        return completions;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** The tensor names of a safetensors file: an 8-byte little-endian header length, then the JSON header. */
    private static List<String> safetensorsKeys(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            byte[] len = new byte[8];
            data.readFully(len);
            byte[] header = new byte[Math.toIntExact(ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong())];
            data.readFully(header);
            List<String> keys = new ArrayList<>();
            JSON.readTree(new String(header, StandardCharsets.UTF_8)).fieldNames().forEachRemaining(k -> {
                if (!k.equals("__metadata__")) {
                    keys.add(k);
                }
            });
            return keys;
        }
    }
}
