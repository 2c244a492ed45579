package org.prefopt.launcher.cli;

import java.util.concurrent.Callable;
import org.prefopt.launcher.config.ResolvedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt config}: prints the resolved, validated configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the resolved configuration: the run file with its -o overrides, every section merged"
                + " over its defaults, validated.")
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigArgs args;

    @Override
    public Integer call() {
        ResolvedRun run = parent.resolve(args.requireFile(), args.overrides());
        spec.commandLine().getOut().println(run.render());
        return ExitCodes.OK;
    }
}
