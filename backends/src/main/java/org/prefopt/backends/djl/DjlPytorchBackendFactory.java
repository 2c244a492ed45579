package org.prefopt.backends.djl;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import java.util.List;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.model.Backend;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;

/**
 * {@code backend { type = djl-pytorch, device = cpu|cuda:N|auto, dtype = float32|float16, threads = 0, tf32 = false }}.
 */
public final class DjlPytorchBackendFactory implements ComponentFactory<Backend> {

    @Override
    public Slot<Backend> slot() {
        return Slot.BACKEND;
    }

    @Override
    public String name() {
        return "djl-pytorch";
    }

    @Override
    public String description() {
        return "PyTorch through DJL on CPU or CUDA: training and generation of Llama/Qwen2 policies";
    }

    @Override
    public Module module(Config options) {
        return new AbstractModule() {
            @Provides
            @Singleton
            Backend backend() {
                return new DjlBackend(options.getString("device"), options.getString("dtype"),
                        options.getInt("threads"), options.getBoolean("tf32"));
            }
        };
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        problems.requireOneOf(options, "dtype", List.of("float32", "float16"));
        problems.requireRange(options, "threads", 0, 4096);
        String d = options.hasPath("device") ? options.getString("device") : "cpu";
        if (!d.equals("cpu") && !d.equals("auto") && !d.matches("cuda(:\\d+)?")) {
            problems.add(options, "device", "must be cpu, auto or cuda:N (got '" + d + "')");
        }
        if (options.hasPath("tf32") && options.getBoolean("tf32")) {
            if (d.equals("cpu")) {
                problems.add(options, "tf32", "TF32 is a CUDA matrix-product mode; device = cpu computes in float32"
                        + " either way (remove tf32, or use device = cuda:N)");
            } else if (options.hasPath("dtype") && !options.getString("dtype").equals("float32")) {
                problems.add(options, "tf32", "applies to float32 matrix products only (dtype = "
                        + options.getString("dtype") + ")");
            }
        }
    }

    @Override
    public int rank() {
        return 100;
    }

    /** True when DJL's PyTorch engine classes are on the class path; loads no native code. */
    @Override
    public boolean isAvailable() {
        try {
            Class.forName("ai.djl.pytorch.engine.PtEngineProvider", false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
