package org.prefopt.launcher.assembly;

/**
 * One component created outside a run (see {@link Assembler#standalone}); closing it closes the component and
 * whatever was created with it (a policy's backend).
 */
public final class Standalone<T> implements AutoCloseable {

    private final RunAssembly assembly;
    private final T component;

    Standalone(RunAssembly assembly, T component) {
        this.assembly = assembly;
        this.component = component;
    }

    public T component() {
        return component;
    }

    public RunAssembly assembly() {
        return assembly;
    }

    @Override
    public void close() {
        assembly.close();
    }
}
