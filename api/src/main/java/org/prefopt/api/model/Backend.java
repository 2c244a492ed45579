package org.prefopt.api.model;

/**
 * The compute engine and device a run uses. Policy components obtain it by injection; a policy that needs a
 * particular engine checks {@link BackendInfo#engine()} and fails with a clear message otherwise.
 */
public interface Backend extends AutoCloseable {

    BackendInfo info();

    /** Seeds the engine's random streams (dropout, init) for reproducible runs. */
    void seed(long seed);

    @Override
    void close();
}
