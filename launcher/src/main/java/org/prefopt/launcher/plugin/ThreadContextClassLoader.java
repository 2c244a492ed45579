package org.prefopt.launcher.plugin;

/**
 * Makes a plugin's class loader the thread's context class loader for a block, and restores the previous one on
 * close (libraries inside plugins, ServiceLoader among them, look classes up through it). The one place that swaps
 * context loaders: {@code try (var ignored = new ThreadContextClassLoader(loader)) { ... }}.
 */
public final class ThreadContextClassLoader implements AutoCloseable {

    private final Thread thread = Thread.currentThread();
    private final ClassLoader previous;

    public ThreadContextClassLoader(ClassLoader loader) {
        previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
    }

    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
