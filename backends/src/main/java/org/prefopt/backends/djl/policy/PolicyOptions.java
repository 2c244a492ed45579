package org.prefopt.backends.djl.policy;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.backends.djl.lora.LoraSettings;

/** Range and combination checks of the policies' options. */
public final class PolicyOptions {

    private PolicyOptions() {
    }

    /** {@code policy { type = hf }}: the checkpoint directory, then the common options. */
    public static void validateHf(Config options, OptionProblems problems) {
        if (options.hasPath("path") && !Files.isDirectory(Path.of(options.getString("path")))) {
            problems.add(options, "path", "is not a directory: " + options.getString("path")
                    + " (expected a Hugging Face checkpoint with config.json and model.safetensors)");
        }
        validate(options, problems);
    }

    /** {@code policy { type = tiny }}: the preset, then the common options. */
    public static void validateTiny(Config options, OptionProblems problems) {
        problems.requireOneOf(options, "preset", Presets.NAMES);
        validate(options, problems);
    }

    private static void requireDouble(Config o, OptionProblems p, String key,
                                      java.util.function.DoublePredicate ok, String what) {
        if (o.hasPath(key) && !ok.test(o.getDouble(key))) {
            p.add(o, key, what + " (got " + o.getDouble(key) + ")");
        }
    }

    /** The options common to the policies. */
    private static void validate(Config o, OptionProblems p) {
        p.requireRange(o, "learning-rate", 0.0, 10.0);
        p.requireRange(o, "weight-decay", 0.0, 10.0);
        p.requireRange(o, "eps", 0.0, 1.0);
        p.requireRange(o, "max-grad-norm", 0.0, 1e9);
        p.requireRange(o, "warmup-steps", 0, Integer.MAX_VALUE);
        p.requireRange(o, "total-steps", 0, Integer.MAX_VALUE);
        p.requireRange(o, "logits-chunk-tokens", 0, Integer.MAX_VALUE);
        p.requireOneOf(o, "lr-schedule", List.of("constant", "linear", "cosine"));
        // loss scaling (float16 training): torch.amp.GradScaler's ranges; the scale lives in float32
        requireDouble(o, p, "loss-scale.initial", x -> x > 0 && Float.isFinite((float) x),
                "must be > 0 and finite in float32, e.g. 65536 (2^16, PyTorch's default)");
        requireDouble(o, p, "loss-scale.growth-factor", x -> x > 1 && Double.isFinite(x),
                "must be > 1, e.g. 2.0");
        requireDouble(o, p, "loss-scale.backoff-factor", x -> x > 0 && x < 1, "must be in (0, 1), e.g. 0.5");
        p.requireRange(o, "loss-scale.growth-interval", 1, Integer.MAX_VALUE);
        if (o.hasPath("lr-schedule") && !o.getString("lr-schedule").equals("constant") && o.hasPath("total-steps")
                && o.getInt("total-steps") <= 0) {
            p.add(o, "total-steps", "must be > 0 for lr-schedule = " + o.getString("lr-schedule"));
        }
        if (o.hasPath("betas")) {
            List<Double> b = o.getDoubleList("betas");
            if (b.size() != 2 || b.stream().anyMatch(x -> !(x >= 0 && x < 1))) {
                p.add(o, "betas", "must be two numbers in [0, 1) (got " + b + ")");
            }
        }
        if (o.hasPath("lora.enabled") && o.getBoolean("lora.enabled")) {
            p.requireRange(o, "lora.rank", 1, 4096);
            p.requireRange(o, "lora.dropout", 0.0, 0.99);
            List<String> t = o.getStringList("lora.target-modules");
            for (String m : t) {
                if (!LoraSettings.PROJECTIONS.contains(m)) {
                    p.add(o, "lora.target-modules", "unknown module '" + m + "'; choose from "
                            + LoraSettings.PROJECTIONS);
                }
            }
            if (t.isEmpty()) {
                p.add(o, "lora.target-modules", "must name at least one projection");
            }
            String a = o.getString("lora.adapter");
            if (!a.isBlank() && !Files.isRegularFile(Path.of(a, "adapter_config.json"))) {
                p.add(o, "lora.adapter", "no adapter_config.json in " + a);
            }
        }
    }
}
