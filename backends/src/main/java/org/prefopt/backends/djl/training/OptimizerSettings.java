package org.prefopt.backends.djl.training;

/** AdamW with decoupled weight decay (PyTorch's {@code torch.optim.AdamW}), gradient clipping and a schedule. */
public record OptimizerSettings(double learningRate, double weightDecay, double beta1, double beta2, double eps,
                                double maxGradNorm, LrSchedule schedule) {
}
