package org.prefopt.launcher.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs each variant in its own JVM (same java, JVM options and class path as this one), so a variant that crashes
 * or runs out of memory does not take the sweep down, and several can train side by side. The child exits when this
 * process dies (even by {@code kill -9}), so an interrupted sweep leaves no orphans training in the background.
 */
public final class ChildProcessExecutor implements VariantExecutor {

    /** System property that makes a {@code prefopt} process exit when its parent process is gone. */
    public static final String EXIT_WITH_PARENT = "prefopt.exit-with-parent";

    private final List<String> javaCommand;
    private final Consumer<String> echo;
    private final int threadsPerChild;

    /**
     * @param mainClass        the class whose {@code main} runs a {@code prefopt} command line (the launcher's entry
     *                         point, passed down so that this package does not depend on it)
     * @param leadingArguments arguments placed before the subcommand (e.g. {@code --plugins-dir <dir>})
     * @param echo             receives every output line of every child, prefixed with the variant's name
     * @param threadsPerChild  when > 0, {@code OMP_NUM_THREADS} of each child (unless the user set it): runs side by
     *                         side that each use every core slow each other down several times over
     */
    public ChildProcessExecutor(String mainClass, List<String> leadingArguments, Consumer<String> echo, int threadsPerChild) {
        this.echo = echo;
        this.threadsPerChild = threadsPerChild;
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // a debugger agent would make the children fight over its port
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-D" + EXIT_WITH_PARENT)) {
                cmd.add(arg);
            }
        }
        cmd.add("-D" + EXIT_WITH_PARENT + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(leadingArguments);
        this.javaCommand = List.copyOf(cmd);
    }

    @Override
    public int run(String variant, List<String> arguments, Path log) throws InterruptedException {
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (threadsPerChild > 0 && !pb.environment().containsKey("OMP_NUM_THREADS")) {
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threadsPerChild));
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = pb.start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.println(line);
                    echo.accept("[" + variant + "] " + line);
                }
            } finally {
                if (Thread.currentThread().isInterrupted()) {
                    p.destroy();
                }
            }
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run variant " + variant + " (" + String.join(" ", arguments) + "): "
                    + e.getMessage(), e);
        }
    }
}
