package org.prefopt.backends.djl;

import java.nio.file.Path;

/** Fixtures for tests outside this package. */
public final class TestCheckpoints {

    private TestCheckpoints() {
    }

    public static Path llama() {
        return Fixtures.checkpoint("llama");
    }

    public static DjlBackend backend() {
        return Fixtures.backend();
    }
}
