package org.prefopt.backends.djl.training;

/**
 * Dynamic loss scaling as {@code torch.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval)};
 * the {@code policy.loss-scale} options. Used when the backend computes in float16.
 */
public record LossScaleSettings(double initial, double growthFactor, double backoffFactor, int growthInterval) {

    /** PyTorch's defaults: 2^16, x2 after 2000 clean steps, x0.5 on an overflow. */
    public static final LossScaleSettings DEFAULTS = new LossScaleSettings(65536.0, 2.0, 0.5, 2000);

    public LossScaleSettings {
        if (!(initial > 0) || !Float.isFinite((float) initial)) {
            throw new IllegalArgumentException("loss-scale.initial must be > 0 and finite in float32 (got " + initial
                    + ")");
        }
        if (!(growthFactor > 1) || !(backoffFactor > 0 && backoffFactor < 1) || growthInterval < 1) {
            throw new IllegalArgumentException("loss-scale needs growth-factor > 1, 0 < backoff-factor < 1 and"
                    + " growth-interval >= 1 (got " + growthFactor + ", " + backoffFactor + ", " + growthInterval + ")");
        }
    }
}
