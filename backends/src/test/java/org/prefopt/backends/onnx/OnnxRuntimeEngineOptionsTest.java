package org.prefopt.backends.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.testing.ValidationProblems;
import org.prefopt.backends.BackendsPlugin;

/** {@code engine { type = onnxruntime, kv-cache = ... }}: the choices, and in-place where it cannot serve. */
class OnnxRuntimeEngineOptionsTest {

    static List<String> problems(Map<String, Object> options) {
        Config defaults = ConfigFactory.parseResources(BackendsPlugin.class.getClassLoader(), "reference.conf")
                .getConfig("prefopt.defaults.engine.onnxruntime");
        return ValidationProblems.of(BackendsPlugin.ONNXRUNTIME,
                ConfigFactory.parseMap(options).withFallback(defaults));
    }

    @Test
    void kvCacheChoices() {
        assertEquals(List.of(), problems(Map.of()), "kv-cache = auto by default");
        assertEquals(List.of(), problems(Map.of("kv-cache", "in-place")));
        assertEquals(List.of(), problems(Map.of("kv-cache", "concat", "dtype", "float16")));
        assertEquals(1, problems(Map.of("kv-cache", "inplace")).size(), problems(Map.of("kv-cache", "inplace"))
                .toString());
    }

    @Test
    void inPlaceWhereItCannotServeNamesTheReason() {
        assertEquals(List.of("kv-cache: in-place is built for float32 (dtype = float16 keeps Optimum's layout): use"
                + " kv-cache = concat or auto, or dtype = float32"),
                problems(Map.of("kv-cache", "in-place", "dtype", "float16")));
        assertEquals(List.of("kv-cache: in-place runs on the CPU (ONNX Runtime's CUDA GroupQueryAttention takes"
                + " float16 only): use kv-cache = concat or auto, or device = cpu"),
                problems(Map.of("kv-cache", "in-place", "device", "cuda:0")));
        assertEquals(List.of("kv-cache: applies to the engine's own export of the policy; the model at path has its"
                + " own cache layout: remove kv-cache, or remove path"),
                problems(Map.of("kv-cache", "in-place", "path", System.getProperty("java.io.tmpdir"))));
    }
}
