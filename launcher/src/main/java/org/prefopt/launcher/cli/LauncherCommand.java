package org.prefopt.launcher.cli;

/**
 * Marker for further {@code prefopt} subcommands (e.g. {@code generate}, {@code eval}, {@code score}): a picocli
 * {@code @Command} class implementing this interface and listed in
 * {@code META-INF/services/org.prefopt.launcher.cli.LauncherCommand} is added under {@code prefopt}. It reaches the
 * plugins through {@code @picocli.CommandLine.ParentCommand PrefoptCommand parent} ({@link PrefoptCommand#registry()}),
 * and signals bad input with {@link UsageException} (exit 2).
 */
public interface LauncherCommand {
}
