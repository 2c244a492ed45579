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

/** {@code backend { type = djl-pytorch, device = cpu|cuda:N|auto, dtype = float32|float16, threads = 0 }}. */
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
                        options.getInt("threads"));
            }
        };
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        problems.requireOneOf(options, "dtype", List.of("float32", "float16"));
        problems.requireRange(options, "threads", 0, 4096);
        if (options.hasPath("device")) {
            String d = options.getString("device");
            if (!d.equals("cpu") && !d.equals("auto") && !d.matches("cuda(:\\d+)?")) {
                problems.add(options, "device", "must be cpu, auto or cuda:N (got '" + d + "')");
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
