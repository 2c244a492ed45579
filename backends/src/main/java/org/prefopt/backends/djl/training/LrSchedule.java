package org.prefopt.backends.djl.training;

/**
 * Learning-rate multiplier per optimizer step, as Hugging Face's {@code get_*_schedule_with_warmup}: linear
 * warm-up from 0 over {@code warmupSteps}, then constant, linear decay to 0, or half-cosine decay to 0 at
 * {@code totalSteps}.
 */
public record LrSchedule(String kind, int warmupSteps, int totalSteps) {

    public LrSchedule {
        if (!kind.equals("constant") && !kind.equals("linear") && !kind.equals("cosine")) {
            throw new IllegalArgumentException("lr-schedule must be constant, linear or cosine (got '" + kind + "')");
        }
        if (!kind.equals("constant") && totalSteps <= 0) {
            throw new IllegalArgumentException("lr-schedule " + kind + " needs total-steps > 0");
        }
    }

    /** Multiplier for 0-based {@code step}. */
    public double factor(long step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        if (kind.equals("constant")) {
            return 1.0;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        progress = Math.min(1.0, progress);
        return kind.equals("linear") ? 1.0 - progress : 0.5 * (1.0 + StrictMath.cos(Math.PI * progress));
    }
}
