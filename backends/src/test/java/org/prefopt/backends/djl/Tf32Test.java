package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.testing.ValidationProblems;

class Tf32Test {

    @Test
    void optionAndEnvironmentMustAgree() {
        assertNull(Tf32.mismatch(false, null));
        assertNull(Tf32.mismatch(true, "1"));
        assertNull(Tf32.mismatch(false, "0"));
        String missing = Tf32.mismatch(true, null);
        assertTrue(missing.contains("backend.tf32 = true") && missing.contains("PREFOPT_TF32=1"), missing);
        String stray = Tf32.mismatch(false, "1");
        assertTrue(stray.contains("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 is set") && stray.contains("unset it"), stray);
    }

    @Test
    void tf32IsOffByDefaultAndOnlyForFloat32OnCuda() {
        Config defaults = TinyPolicyPluginTest.defaults(Slot.BACKEND, "djl-pytorch");
        assertEquals(false, defaults.getBoolean("tf32"));
        DjlPytorchBackendFactory factory = new DjlPytorchBackendFactory();
        assertEquals(List.of(), ValidationProblems.of(factory, options("device = \"cuda:0\", tf32 = true", defaults)));
        assertEquals(List.of(), ValidationProblems.of(factory, options("device = auto, tf32 = true", defaults)));
        List<String> cpu = ValidationProblems.of(factory, options("tf32 = true", defaults));
        assertEquals(1, cpu.size(), cpu.toString());
        assertTrue(cpu.get(0).startsWith("tf32: TF32 is a CUDA matrix-product mode"), cpu.toString());
        List<String> half = ValidationProblems.of(factory,
                options("device = \"cuda:0\", dtype = float16, tf32 = true", defaults));
        assertEquals(List.of("tf32: applies to float32 matrix products only (dtype = float16)"), half);
    }

    @Test
    void backendRefusesTf32WithoutTheVariable() {
        // the test JVM is started without TORCH_ALLOW_TF32_CUBLAS_OVERRIDE
        if (System.getenv(Tf32.VARIABLE) == null) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new DjlBackend("cpu", "float32", 1, true));
            assertTrue(e.getMessage().contains("PREFOPT_TF32=1"), e.getMessage());
        }
    }

    private static Config options(String hocon, Config defaults) {
        return ConfigFactory.parseString(hocon).withFallback(defaults);
    }
}
