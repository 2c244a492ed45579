package org.prefopt.launcher.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The run file and its {@code -o} overrides, shared by config, validate and run. */
public final class ConfigArgs {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<file>", description = "Run file (HOCON).")
    Path file;

    @Option(names = {"-o", "--override"}, paramLabel = "<key=value>",
            description = "Override a config value, e.g. -o algorithm.group-size=16 or -o reward.1.weight=0.5."
                    + " Values are HOCON; a number in the path indexes a list. Repeatable.")
    List<String> overrides = new ArrayList<>();

    Path requireFile() {
        if (file == null) {
            throw new UsageException("missing the run file, e.g. prefopt validate experiments/tiny-grpo.conf");
        }
        return file;
    }

    public Path file() {
        return file;
    }

    public List<String> overrides() {
        return overrides;
    }
}
