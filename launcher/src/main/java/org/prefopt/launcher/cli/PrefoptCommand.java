package org.prefopt.launcher.cli;

import ch.qos.logback.classic.Level;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.plugin.ComponentRegistry;
import org.prefopt.launcher.plugin.PluginDiscovery;
import org.prefopt.launcher.run.RunSections;
import org.prefopt.launcher.rundir.RunDirectory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code prefopt}: the root command; holds what every subcommand shares (the plugins). */
@Command(name = "prefopt", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Preference-optimization fine-tuning (GRPO, DPO) of small language models.",
        subcommands = {PluginsCommand.class, ConfigCommand.class, ValidateCommand.class, RunCommand.class,
                ScoreCommand.class, DataCommand.class, GenerateCommand.class, BenchCommand.class, SweepCommand.class, ReportCommand.class,
                EvalCommand.class, ExportCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 run failed, 2 bad usage or invalid configuration."})
public final class PrefoptCommand {

    /** System property the start script sets to the installation directory. */
    public static final String HOME_PROPERTY = "prefopt.home";

    @Option(names = "--plugins-dir", paramLabel = "<dir>", scope = ScopeType.INHERIT,
            description = "Directory of third-party plugins: each subdirectory (its jars) or jar is one plugin."
                    + " Default: <install>/plugins.")
    Path pluginsDir;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Debug logging.")
    void verbose(boolean on) {
        if (on && LoggerFactory.getLogger("org.prefopt") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(Level.DEBUG);
        }
    }

    private final Class<?> entryPoint;
    private ComponentRegistry registry;

    /** @param entryPoint the class whose {@code main} runs a command line (child processes start it again) */
    public PrefoptCommand(Class<?> entryPoint) {
        this.entryPoint = entryPoint;
    }

    /** The class whose {@code main} runs a {@code prefopt} command line, for commands that start child processes. */
    Class<?> entryPoint() {
        return entryPoint;
    }

    /** The plugins directory in effect, or null when there is none. */
    public Path pluginsDir() {
        if (pluginsDir != null) {
            if (!Files.isDirectory(pluginsDir)) {
                throw new UsageException("--plugins-dir " + pluginsDir + ": no such directory");
            }
            return pluginsDir;
        }
        Path home = installDir();
        return home == null ? null : home.resolve("plugins");
    }

    /** The installation directory: -Dprefopt.home, else the parent of the lib/ directory holding this jar. */
    static Path installDir() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        try {
            var source = PrefoptCommand.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path jar = Path.of(source.getLocation().toURI());
                Path lib = jar.getParent();
                if (Files.isRegularFile(jar) && lib != null && lib.getFileName().toString().equals("lib")) {
                    return lib.getParent();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // not installed from a distribution: no default plugins directory
        }
        return null;
    }

    /** Every component on the class path and in the plugins directory (discovered once). */
    public synchronized ComponentRegistry registry() {
        if (registry == null) {
            registry = PluginDiscovery.discover(PrefoptCommand.class.getClassLoader(), pluginsDir());
        }
        return registry;
    }

    /** The resolver of training run files: components and the run-level rules ({@link RunSections#validate}). */
    RunConfigResolver runResolver() {
        return new RunConfigResolver(registry()).withRunRules(RunSections::validate);
    }

    /**
     * Loads, overrides and validates a run file.
     *
     * @throws ConfigProblemsException with every problem found
     */
    public ResolvedRun resolve(Path file, java.util.List<String> overrides) {
        var raw = RunConfigLoader.load(file, overrides);
        String name = file.getFileName().toString().replaceFirst("\\.(conf|hocon|json|properties)$", "");
        if (file.getFileName().toString().equals(RunDirectory.CONFIG_FILE) && file.toAbsolutePath().getParent() != null) {
            name = file.toAbsolutePath().getParent().getFileName().toString();
        }
        return runResolver().resolve(raw, name);
    }
}
