package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import com.typesafe.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.Problem;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.memory.MemoryCheck;
import org.prefopt.launcher.memory.PlanTable;
import org.prefopt.launcher.memory.RunMemory;
import org.prefopt.launcher.sweep.SweepFile;
import org.prefopt.launcher.sweep.SweepSpec;
import org.prefopt.launcher.sweep.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt validate}: checks a run file and its wiring without creating any component. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a run file: every problem (unknown types and keys, wrong types, missing options,"
                + " out-of-range values) is reported at once with file:line; then check that the chosen components"
                + " can be wired together. Nothing is loaded or created. Then print the memory plan and fail when its"
                + " peak exceeds the device memory (memory.limit), naming the settings that would make it fit. A sweep"
                + " file is checked variant by variant.")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigArgs args;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "<more files>",
            description = "More run or sweep files, each checked the same way (e.g. examples/real/*.conf).")
    List<Path> more = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = new ArrayList<>();
        files.add(args.requireFile());
        files.addAll(more);
        List<Problem> problems = new ArrayList<>();
        for (Path file : files) {
            if (files.size() > 1) {
                out.println("== " + file);
            }
            try {
                validate(file, out);
            } catch (ConfigProblemsException e) {
                if (files.size() == 1) {
                    throw e;
                }
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigProblemsException(problems.stream().distinct().toList());
        }
        return ExitCodes.OK;
    }

    private void validate(Path file, PrintWriter out) {
        if (RunConfigLoader.load(file, args.overrides()).hasPath(SweepFile.SECTION)) {
            sweep(file, out);
            return;
        }
        ResolvedRun run = resolveShowingPlan(() -> parent.resolve(file, args.overrides()), out);
        check(run, file.toString(), out);
    }

    /** Every variant of a sweep file, each with its plan; all problems are reported together at the end. */
    private void sweep(Path file, PrintWriter out) {
        SweepSpec sweep = SweepFile.load(file, args.overrides());
        List<Problem> problems = new ArrayList<>();
        for (Variant v : sweep.variants()) {
            out.println("variant " + v.name() + ":");
            try {
                ResolvedRun run = resolveShowingPlan(() -> parent.runResolver().resolve(v.config(), v.name()), out);
                check(run, file + " (variant " + v.name() + ")", out);
            } catch (ConfigProblemsException e) {
                for (Problem p : e.problems()) {
                    problems.add(new Problem(p.location(), p.path(), "(variant " + v.name() + ") " + p.message()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigProblemsException(problems.stream().distinct().toList());
        }
    }

    /** The wiring, the components, the memory plan and its rule. */
    private static void check(ResolvedRun run, String what, PrintWriter out) {
        Assembler.assemble(run, Stage.TOOL);
        out.println(what + ": valid (" + run.components().size() + " components)");
        for (ResolvedComponent c : run.components()) {
            out.println("  " + c.path() + " = " + c.slot().key() + " '" + c.type() + "' from " + c.component().origin());
        }
        RunMemory memory = RunMemory.of(run);
        PlanTable.print(memory, out);
        out.flush();
        MemoryCheck.problem(memory, run.config(), run.components()).ifPresent(p -> {
            throw new ConfigProblemsException(List.of(p));
        });
    }

    /**
     * Resolves; when the file has problems, prints the memory plan of what did resolve before reporting them: a run
     * file written before its checkpoint and data were downloaded still shows what it will need.
     */
    private static ResolvedRun resolveShowingPlan(Supplier<ResolvedRun> resolve, PrintWriter out) {
        try {
            return resolve.get();
        } catch (ConfigProblemsException e) {
            List<Problem> problems = new ArrayList<>(e.problems());
            e.partial().ifPresent(partial -> {
                try {
                    RunMemory memory = RunMemory.of(partial);
                    if (memory.plan() != null) {
                        out.println("(the run file has problems, listed below; the memory plan of what resolved:)");
                        PlanTable.print(memory, out);
                        out.flush();
                        MemoryCheck.problem(memory, partial.config(), partial.components()).ifPresent(problems::add);
                    }
                } catch (ConfigException | IllegalArgumentException ignored) {
                    // a value the plan needs has the wrong type or range: the problems below name it
                }
            });
            throw problems.size() == e.problems().size() ? e : new ConfigProblemsException(problems);
        }
    }
}
