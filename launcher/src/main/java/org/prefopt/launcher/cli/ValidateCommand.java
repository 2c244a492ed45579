package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.config.ResolvedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt validate}: checks a run file and its wiring without creating any component. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a run file: every problem (unknown types and keys, wrong types, missing options,"
                + " out-of-range values) is reported at once with file:line; then check that the chosen components"
                + " can be wired together. Nothing is loaded or created.")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigArgs args;

    @Override
    public Integer call() {
        ResolvedRun run = parent.resolve(args.requireFile(), args.overrides());
        Assembler.assemble(run, Stage.TOOL);
        PrintWriter out = spec.commandLine().getOut();
        out.println(args.file() + ": valid (" + run.components().size() + " components)");
        for (ResolvedComponent c : run.components()) {
            out.println("  " + c.path() + " = " + c.slot().key() + " '" + c.type() + "' from " + c.component().origin());
        }
        return ExitCodes.OK;
    }
}
