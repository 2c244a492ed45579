package org.prefopt.launcher.progress;

import java.util.Map;

/**
 * Where the loop reports progress for people. {@link LogProgress} writes plain log lines; a terminal progress bar
 * can implement the same interface.
 */
public interface ProgressListener extends AutoCloseable {

    /** Training is about to run steps {@code firstStep..totalSteps}. */
    void started(int firstStep, int totalSteps);

    /** A step finished; {@code metrics} is its metrics.jsonl line. */
    void stepDone(int step, Map<String, Double> metrics);

    /** An evaluation finished (step 0 is before training). */
    void evaluated(int step, String set, String summary);

    /** A checkpoint was written. */
    void checkpointed(int step, java.nio.file.Path directory);

    @Override
    default void close() {
    }
}
