package org.prefopt.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.Main;
import org.prefopt.launcher.plugin.ClassLocations;
import org.prefopt.launcher.rundir.RunDirectory;
import org.prefopt.launcher.testplugin.EvalTestPlugin;

/**
 * {@code prefopt eval} on a real (tiny, fake-policy) run trained by {@code prefopt run} in this JVM: the command
 * must reproduce the run's own evaluations at the same step and seed, file for file.
 */
class EvalCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path runFile;
    static Path runDir;

    record Result(int code, String out, String err) {
    }

    static Path pluginsDir;

    static Result prefopt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--plugins-dir", pluginsDir.toString()));
        all.addAll(List.of(args));
        int code = Main.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Installs {@link EvalTestPlugin} as a third-party plugin: its classes, the fakes it uses and its reference.conf
     * in one jar, with the Jackson jars the fake policy needs (a plugin sees only the API of the host).
     */
    static Path installEvalTestPlugin(Path root) throws IOException {
        Path plugin = Files.createDirectories(root.resolve("eval-test"));
        Path classes = Path.of(ClassLocations.location(EvalTestPlugin.class));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugin.resolve("eval-test.jar")))) {
            for (String pkg : List.of("org/prefopt/launcher/testplugin", "org/prefopt/launcher/training/fakes")) {
                try (Stream<Path> files = Files.list(classes.resolve(pkg))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                        add(jar, classes.relativize(f).toString().replace('\\', '/'), f);
                    }
                }
            }
            Path resources = classes.resolve("eval-test-plugin");
            add(jar, "reference.conf", resources.resolve("reference.conf"));
            String services = "META-INF/services/" + org.prefopt.api.plugin.Plugin.class.getName();
            add(jar, services, resources.resolve(services));
        }
        for (Class<?> c : List.of(ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            Path lib = Path.of(ClassLocations.location(c));
            Files.copy(lib, plugin.resolve(lib.getFileName()));
        }
        return root;
    }

    private static void add(JarOutputStream jar, String name, Path file) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        Files.copy(file, jar);
        jar.closeEntry();
    }

    @BeforeAll
    static void trainATinyRun() throws IOException {
        pluginsDir = installEvalTestPlugin(Files.createDirectories(dir.resolve("plugins")));
        runFile = Files.writeString(dir.resolve("digits.conf"), """
                run { name = digits, seed = 7, steps = 10 }
                policy { type = fake, learning-rate = 2.0 }
                dataset { type = digits, count = 9 }
                sampler { type = in-order }
                reward = [ { type = digit } ]
                algorithm { type = reinforce, group-size = 8, prompts-per-step = 3 }
                generation { max-new-tokens = 2 }
                eval {
                  every = 5, samples = 4, pass-at = [1, 2]
                  sets = [ { name = train-prompts, dataset { type = digits, count = 9 } } ]
                }
                checkpoint { every = 5, keep-last = 3 }
                """);
        runDir = dir.resolve("run");
        Result r = prefopt("run", runFile.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static Path inRun(int step) {
        return runDir.resolve("eval/train-prompts/step-" + step + ".json");
    }

    @Test
    void reproducesTheInRunEvaluationOfTheNewestCheckpoint() throws IOException {
        // the test can only fail when training changed what greedy decoding answers
        assertNotEquals(json(inRun(0)).at("/greedy/overall/correct").asInt(),
                json(inRun(10)).at("/greedy/overall/correct").asInt());

        Result r = prefopt("eval", "--model", runDir.toString());
        assertEquals(0, r.code(), r.err());
        Path cli = runDir.resolve("eval-cli/eval/train-prompts");
        assertEquals(json(inRun(10)), json(cli.resolve("step-10.json")));
        assertEquals(Files.readString(runDir.resolve("eval/train-prompts/step-10-generations.jsonl")),
                Files.readString(cli.resolve("step-10-generations.jsonl")));
        assertTrue(r.out().startsWith("eval set train-prompts (greedy pass@1 with 95% Wilson interval; sampled mean@k"
                + " with 95% normal interval)\n| step | overall | tier 1 | tier 2 | tier 3 | sampled mean@k |\n"),
                r.out());
        JsonNode greedy = json(inRun(10)).at("/greedy/overall");
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "| 10 | %.1f%% [", 100 * greedy.get("accuracy")
                .asDouble())), r.out());
        assertTrue(r.out().contains("evaluation files: " + runDir.resolve("eval-cli/eval").toAbsolutePath()), r.out());
    }

    @Test
    void chosenCheckpointJsonOutputAndCheckpointDirectory() throws IOException {
        Path out = dir.resolve("step5");
        Result r = prefopt("eval", "--model", runDir.toString(), "--checkpoint", "step-5", "--out", out.toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(5, report.get("step").asInt());
        assertEquals(json(inRun(5)), report.get("evaluations").get(0));
        assertEquals(json(inRun(5)), json(out.resolve("eval/train-prompts/step-5.json")));

        Result direct = prefopt("eval", "--model", runDir.resolve("checkpoints/step-5").toString(), "--out",
                dir.resolve("direct").toString(), "--no-greedy", "--samples", "1", "--max-examples", "4");
        assertEquals(0, direct.code(), direct.err());
        JsonNode s = json(dir.resolve("direct/eval/train-prompts/step-5.json"));
        assertEquals(4, s.get("examples").asInt());
        assertTrue(s.at("/greedy").isMissingNode(), s.toString());
        assertEquals(1, s.at("/sampled/samples").asInt());
        assertEquals(1, s.at("/sampled/pass_at_k").size(), "the config's pass@2 needs 2 samples: only pass@1");
        assertTrue(s.at("/sampled/pass_at_k/1").isObject(), s.toString());
    }

    /** The fake "hf" policy of the test plugin loads an exported fake policy from a directory with config.json. */
    private static Path exportedCheckpoint(String name) throws IOException {
        Path hf = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(runDir.resolve("checkpoints/step-10/policy"))) {
            for (Path f : files.toList()) {
                Files.copy(f, hf.resolve(f.getFileName()));
            }
        }
        Files.writeString(hf.resolve("config.json"), "{}\n");
        return hf;
    }

    @Test
    void huggingFaceCheckpointWithTheRunFileOrWithADataset() throws IOException {
        Path hf = exportedCheckpoint("hf-export");
        Path out = dir.resolve("hf-out");
        Result r = prefopt("eval", "--model", hf.toString(), "--config", runFile.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // the same weights as the run at step 10, evaluated as a model of step 0
        assertEquals(json(inRun(10)).get("greedy"), json(out.resolve("eval/train-prompts/step-0.json")).get("greedy"));
        assertTrue(r.out().contains("| 0 | "), r.out());

        Result none = prefopt("eval", "--model", hf.toString(), "--dataset", "digits", "--out", out.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no reward to judge correctness: pass --reward <type> (e.g. --reward"
                + " gsm8k-answer or --reward math-answer) or --config <run file> with a reward list"), none.err());

        Result ds = prefopt("eval", "--model", hf.toString(), "--dataset", "digits", "-O", "count=9", "--filter",
                "max-difficulty:max=2", "--reward", "digit", "--name", "easy", "--out", out.toString());
        assertEquals(0, ds.code(), ds.err());
        JsonNode easy = json(out.resolve("eval/easy/step-0.json"));
        assertEquals(6, easy.get("examples").asInt());
        assertEquals(JSON.createArrayNode().add("1").add("2"), JSON.valueToTree(
                List.copyOf(iterable(easy.at("/greedy/tiers").fieldNames()))));
        // tiers 1 and 2 hold the same examples as in the run's set, so the same greedy answers
        JsonNode runTiers = json(inRun(10)).at("/greedy/tiers");
        assertEquals(runTiers.get("1"), easy.at("/greedy/tiers/1"));
        assertEquals(runTiers.get("2"), easy.at("/greedy/tiers/2"));
        assertTrue(Files.isRegularFile(out.resolve("eval/easy/step-0-generations.jsonl")));
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    @Test
    void clearErrors() throws IOException {
        Result missing = prefopt("eval", "--model", dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("eval: --model " + dir.resolve("nope") + ": no such directory\n"),
                missing.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result neither = prefopt("eval", "--model", empty.toString());
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("--model " + empty + " is neither a run directory (with config.conf and"
                + " checkpoints/), nor a PEFT adapter directory (with adapter_config.json), nor a Hugging Face"
                + " checkpoint directory (with config.json)."), neither.err());

        Result step = prefopt("eval", "--model", runDir.toString(), "--checkpoint", "step-7");
        assertEquals(2, step.code());
        assertTrue(step.err().contains("--checkpoint step-7: run directory " + runDir + " has no complete checkpoint"
                + " step-7; available: step-5, step-10"), step.err());

        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Files.copy(runDir.resolve(RunDirectory.CONFIG_FILE), fresh.resolve(RunDirectory.CONFIG_FILE));
        Result noCheckpoint = prefopt("eval", "--model", fresh.toString());
        assertEquals(2, noCheckpoint.code());
        assertTrue(noCheckpoint.err().contains("run directory " + fresh + " has no complete checkpoint under"
                + " checkpoints/"), noCheckpoint.err());

        Result type = prefopt("eval", "--model", runDir.toString(), "--dataset", "nope", "--out",
                dir.resolve("x").toString());
        assertEquals(2, type.code());
        assertTrue(type.err().contains("unknown dataset 'nope'"), type.err());

        Result config = prefopt("eval", "--model", runDir.toString(), "--config", runFile.toString());
        assertEquals(2, config.code());
        assertTrue(config.err().contains("--config is for Hugging Face checkpoints"), config.err());

        Result noSets = prefopt("eval", "--model", exportedCheckpoint("hf-bare").toString(), "--reward", "digit");
        assertEquals(2, noSets.code());
        assertTrue(noSets.err().contains("has no eval.sets; pass --dataset <type> --path <file> (or --config <run"
                + " file> with eval.sets)"), noSets.err());
    }
}
