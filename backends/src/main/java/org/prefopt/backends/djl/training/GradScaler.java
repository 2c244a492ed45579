package org.prefopt.backends.djl.training;

/**
 * Dynamic loss scaling with {@code torch.amp.GradScaler}'s semantics. The loss gradient is multiplied by
 * {@link #scale()} before back-propagation so that small float16 gradients do not flush to zero; the optimizer
 * divides it out again (in float32) before clipping. When any gradient came out inf or NaN the step is skipped and
 * the scale multiplied by the backoff factor; after {@code growthInterval} consecutive clean steps it is multiplied
 * by the growth factor (unless that would overflow float32, where PyTorch keeps its scale). A disabled scaler (float32
 * training) scales by 1 and never changes.
 */
public final class GradScaler {

    private final LossScaleSettings settings;
    private double scale;
    private int growthTracker;

    private GradScaler(LossScaleSettings settings) {
        this.settings = settings;
        this.scale = settings == null ? 1.0 : settings.initial();
    }

    public static GradScaler enabled(LossScaleSettings settings) {
        return new GradScaler(settings);
    }

    public static GradScaler disabled() {
        return new GradScaler(null);
    }

    public boolean isEnabled() {
        return settings != null;
    }

    /** The factor the loss gradient is multiplied by for the next backward pass. */
    public double scale() {
        return scale;
    }

    /** Consecutive clean steps since the scale last changed. */
    public int growthTracker() {
        return growthTracker;
    }

    /** After an optimizer step: {@code foundInf} when the unscaled gradients held an inf or a NaN. */
    public void update(boolean foundInf) {
        if (settings == null) {
            return;
        }
        if (foundInf) {
            scale *= settings.backoffFactor();
            growthTracker = 0;
            return;
        }
        growthTracker++;
        if (growthTracker == settings.growthInterval()) {
            double grown = scale * settings.growthFactor();
            if (Float.isFinite((float) grown)) {
                scale = grown;
            }
            growthTracker = 0;
        }
    }

    /** Continues from a saved state. */
    public void restore(double savedScale, int savedGrowthTracker) {
        if (settings == null) {
            return;
        }
        if (!(savedScale > 0) || !Double.isFinite(savedScale) || savedGrowthTracker < 0) {
            throw new IllegalArgumentException("saved loss scale " + savedScale + " / growth tracker "
                    + savedGrowthTracker + " is invalid (expected a finite scale > 0 and a tracker >= 0)");
        }
        this.scale = savedScale;
        this.growthTracker = savedGrowthTracker;
    }
}
