package org.prefopt.api.model;

import java.util.Optional;

/**
 * The compute engine and device a run uses. Policy components obtain it by injection; a policy that computes with
 * a particular engine asks the backend for that engine's compute context with {@link #unwrap(Class)} and fails
 * with a clear message when the backend cannot provide it.
 */
public interface Backend extends AutoCloseable {

    BackendInfo info();

    /** Seeds the engine's random streams (dropout, init) for reproducible runs. */
    void seed(long seed);

    /**
     * This backend as {@code type}, when it offers that capability (as JDBC's {@code Wrapper.unwrap}): a policy asks
     * for the compute context it needs instead of testing the backend's class, so any backend, a third-party one
     * included, can provide it. The default returns this backend when it implements {@code type}; a backend that
     * offers a capability through another object overrides this.
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    void close();
}
