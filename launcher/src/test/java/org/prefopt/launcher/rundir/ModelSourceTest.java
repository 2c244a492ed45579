package org.prefopt.launcher.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #23: what --model names, PEFT adapter directories included, and the one-line refusals. */
class ModelSourceTest {

    @TempDir
    Path tmp;

    private Path hf(String name) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("config.json"), "{}");
        return d;
    }

    private Path adapter(String name, String base) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("adapter_config.json"), "{\"peft_type\":\"LORA\",\"r\":4,\"lora_alpha\":8"
                + (base == null ? "" : ",\"base_model_name_or_path\":\"" + base + "\"") + "}");
        return d;
    }

    @Test
    void anAdapterLoadsOnTheBaseItNamesOrOnBase() throws Exception {
        Path base = hf("base");
        Path other = hf("other");
        Path a = adapter("adapter", base.toString());
        ModelSource s = ModelSource.of(a, null, null);
        assertTrue(s.isAdapter());
        assertFalse(s.isRun());
        assertEquals(base, s.hfDirectory());
        assertEquals(a, s.directory());
        assertEquals(0, s.step());
        Map<String, Object> policy = s.policySection();
        assertEquals("hf", policy.get("type"));
        assertEquals(base.toAbsolutePath().normalize().toString(), policy.get("path"));
        assertEquals(Map.of("enabled", true, "adapter", a.toAbsolutePath().normalize().toString(), "dropout", 0.0),
                policy.get("lora"));
        assertEquals(other, ModelSource.of(a, null, other).hfDirectory());
        // a relative base_model_name_or_path may be relative to the adapter directory
        assertEquals(tmp.resolve("rel/../base"), ModelSource.of(adapter("rel", "../base"), null, null).hfDirectory());
    }

    @Test
    void aCheckpointLoadsAsItIs() throws Exception {
        Path d = hf("merged");
        ModelSource s = ModelSource.of(d, null);
        assertFalse(s.isAdapter());
        assertEquals(Map.of("enabled", false), s.policySection().get("lora"));
    }

    @Test
    void unusableChoicesAreOneLineThatSaysWhatToPass() throws Exception {
        Path a = adapter("hub", "Qwen/Qwen3-0.6B");
        String msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(a, null, null)).getMessage();
        assertEquals(a.resolve("adapter_config.json") + ": base_model_name_or_path 'Qwen/Qwen3-0.6B' is not a local"
                + " Hugging Face checkpoint directory (prefopt loads local checkpoints only); pass its directory with"
                + " --base <dir>", msg);
        Path none = adapter("nobase", null);
        msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(none, null, null)).getMessage();
        assertTrue(msg.endsWith("names no base_model_name_or_path; pass the base model's directory with --base <dir>"),
                msg);
        Path merged = hf("m");
        msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(merged, null, tmp)).getMessage();
        assertTrue(msg.startsWith("--base names the base model of a PEFT adapter directory"), msg);
        msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(a, "step-3", null)).getMessage();
        assertTrue(msg.contains("is a PEFT adapter directory; drop --checkpoint"), msg);
        msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(a, null, tmp)).getMessage();
        assertEquals("--base " + tmp + ": not a Hugging Face checkpoint directory (no config.json)", msg);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(empty, null)).getMessage();
        assertTrue(msg.contains("nor a PEFT adapter directory (with adapter_config.json)"), msg);
    }

    @Test
    void aRunWithoutACheckpointSaysSo() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(RunDirectory.CONFIG_FILE), "run { name = x }\n");
        String msg = assertThrows(ModelSource.Unusable.class, () -> ModelSource.of(run, null)).getMessage();
        assertTrue(msg.startsWith("run directory " + run + " has no complete checkpoint under checkpoints/"), msg);
    }
}
