package org.prefopt.launcher.training;

/** A step produced a non-finite loss or gradient and the run's policy is {@code run.on-non-finite = stop}. */
public class NonFiniteStepException extends RuntimeException {

    private final int step;

    public NonFiniteStepException(int step, String message) {
        super(message);
        this.step = step;
    }

    public int step() {
        return step;
    }
}
