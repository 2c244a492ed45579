package org.prefopt.backends.djl.policy;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import java.nio.file.Path;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.backends.tokenizer.HfTokenizers;

/** {@code policy { type = hf, path = <checkpoint dir>, lora { ... }, learning-rate = ... }}. */
public final class HfPolicyFactory implements ComponentFactory<PolicyModel> {

    @Override
    public Slot<PolicyModel> slot() {
        return Slot.POLICY;
    }

    @Override
    public String name() {
        return "hf";
    }

    @Override
    public String description() {
        return "a Hugging Face Llama/Qwen2 checkpoint directory (safetensors), full fine-tuning or LoRA";
    }

    @Override
    public Module module(Config options) {
        return new AbstractModule() {
            @Provides
            @Singleton
            PolicyModel policy(Backend backend) {
                Path dir = Path.of(options.getString("path"));
                return Policies.fromCheckpoint(Policies.requireDjl(backend, "hf"), dir, HfTokenizers.load(dir),
                        PolicySettings.from(options));
            }
        };
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        if (options.hasPath("path") && !java.nio.file.Files.isDirectory(Path.of(options.getString("path")))) {
            problems.add(options, "path", "is not a directory: " + options.getString("path")
                    + " (expected a Hugging Face checkpoint with config.json and model.safetensors)");
        }
        PolicyOptions.validate(options, problems);
    }
}
