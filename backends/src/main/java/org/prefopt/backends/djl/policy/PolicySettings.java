package org.prefopt.backends.djl.policy;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.training.LossScaleSettings;
import org.prefopt.backends.djl.training.LrSchedule;
import org.prefopt.backends.djl.training.OptimizerSettings;

/**
 * Options shared by the {@code hf} and {@code tiny} policies.
 *
 * @param lora             adapter settings, or null for full fine-tuning
 * @param loraAdapter      a PEFT adapter directory to start from, or null
 * @param logitsChunkTokens memory-saving path: &gt; 0 computes the output layer in chunks of about this many tokens
 *                         and recomputes them in the backward pass; 0 keeps all logits of a micro-batch
 * @param gradientCheckpointing memory-saving path: keep only each decoder layer's input during the forward pass
 *                         and recompute the layers in the backward pass
 * @param referenceCopy    full fine-tuning only: keep a frozen copy of the initial weights for
 *                         {@code ScoringMode.REFERENCE} (taken lazily, before the first update)
 * @param lossScale        dynamic loss scaling, applied when the backend trains in float16
 */
public record PolicySettings(OptimizerSettings optimizer, LoraSettings lora, Path loraAdapter, long seed,
                             int logitsChunkTokens, boolean gradientCheckpointing, boolean referenceCopy,
                             LossScaleSettings lossScale) {

    public PolicySettings(OptimizerSettings optimizer, LoraSettings lora, Path loraAdapter, long seed,
                          int logitsChunkTokens, boolean gradientCheckpointing, boolean referenceCopy) {
        this(optimizer, lora, loraAdapter, seed, logitsChunkTokens, gradientCheckpointing, referenceCopy,
                LossScaleSettings.DEFAULTS);
    }

    public static PolicySettings from(Config c) {
        List<Double> betas = c.getDoubleList("betas");
        if (betas.size() != 2) {
            throw new IllegalArgumentException("betas must hold two numbers (got " + betas + ")");
        }
        OptimizerSettings opt = new OptimizerSettings(c.getDouble("learning-rate"), c.getDouble("weight-decay"),
                betas.get(0), betas.get(1), c.getDouble("eps"), c.getDouble("max-grad-norm"),
                new LrSchedule(c.getString("lr-schedule"), c.getInt("warmup-steps"), c.getInt("total-steps")));
        Config l = c.getConfig("lora");
        // read every lora option even when disabled, so that type errors surface whatever the switch says
        String a = l.getString("adapter");
        LoraSettings configured = new LoraSettings(l.getInt("rank"), l.getDouble("alpha"), l.getDouble("dropout"),
                l.getStringList("target-modules"));
        LoraSettings lora = l.getBoolean("enabled") ? configured : null;
        Path adapter = lora == null || a.isBlank() ? null : Path.of(a);
        Config ls = c.getConfig("loss-scale");
        LossScaleSettings lossScale = new LossScaleSettings(ls.getDouble("initial"), ls.getDouble("growth-factor"),
                ls.getDouble("backoff-factor"), ls.getInt("growth-interval"));
        return new PolicySettings(opt, lora, adapter, c.getLong("seed"), c.getInt("logits-chunk-tokens"),
                c.getBoolean("gradient-checkpointing"), c.getBoolean("reference-copy"), lossScale);
    }
}
