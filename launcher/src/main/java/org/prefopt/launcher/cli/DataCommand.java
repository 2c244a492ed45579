package org.prefopt.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.Standalone;
import org.prefopt.launcher.evaluation.Evaluator;
import org.prefopt.launcher.rollout.Stats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt data}: look at a dataset the way a run will see it. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect datasets.",
        subcommands = {DataCommand.Stats.class, DataCommand.Sample.class})
final class DataCommand {

    @ParentCommand
    PrefoptCommand parent;

    /** Options shared by the data subcommands: which dataset, its options and filters. */
    static final class Selection {

        @Option(names = "--dataset", required = true, paramLabel = "<type>", description = "gsm8k, math, jsonl, ...")
        String type;

        @Option(names = "--path", paramLabel = "<file>", description = "The dataset's path option.")
        String path;

        @Option(names = "-O", paramLabel = "<key=value>", description = "Another dataset option (repeatable).")
        List<String> options = new ArrayList<>();

        @Option(names = "--filter", paramLabel = "<type[:k=v,...]>",
                description = "A filter, applied in the order given (repeatable), e.g. difficulty:max=2.")
        List<String> filters = new ArrayList<>();

        /** Loads the dataset (bad records skipped and reported unless -O on-bad-record=fail) and applies filters. */
        Loaded load(PrefoptCommand root, String defaultOnBadRecord) {
            Map<String, String> datasetOptions = new LinkedHashMap<>();
            if (path != null) {
                datasetOptions.put("path", path);
            }
            datasetOptions.putAll(ComponentOptions.parse(options, "-O"));
            if (!datasetOptions.containsKey("on-bad-record") && root.registry().find(Slot.DATASET, type)
                    .map(c -> c.defaults() != null && c.defaults().hasPath("on-bad-record")).orElse(false)) {
                datasetOptions.put("on-bad-record", defaultOnBadRecord);
            }
            List<DataIssue> skipped = new ArrayList<>();
            List<Example> examples;
            try (Standalone<Dataset> dataset = Assembler.standalone(root.registry(), Slot.DATASET, type, datasetOptions);
                 Stream<Example> stream = dataset.component().examples(skipped::add)) {
                examples = stream.toList();
            }
            Map<String, Integer> kept = new LinkedHashMap<>();
            for (String f : filters) {
                ComponentOptions.Spec spec = ComponentOptions.Spec.parse(f, "--filter");
                try (Standalone<DatasetFilter> filter = Assembler.standalone(root.registry(), Slot.FILTER, spec.type(),
                        spec.options())) {
                    examples = filter.component().apply(examples);
                    kept.put(filter.component().describe(), examples.size());
                }
            }
            return new Loaded(examples, skipped, kept);
        }
    }

    record Loaded(List<Example> examples, List<DataIssue> skipped, Map<String, Integer> keptByFilter) {
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Totals, counts per difficulty tier, numeric-answer counts and skipped records with reasons."
                    + " Bad records are skipped and listed (set -O on-bad-record=fail to stop at the first).")
    static final class Stats implements Callable<Integer> {

        @ParentCommand
        DataCommand data;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Selection selection;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrefoptCommand root = data.parent;
            Loaded loaded = selection.load(root, "skip");
            // "Numeric" is the numeric-answer filter's definition, so the count and the filter always agree.
            List<Example> numeric;
            try (Standalone<DatasetFilter> filter = Assembler.standalone(root.registry(), Slot.FILTER,
                    "numeric-answer", Map.of())) {
                numeric = filter.component().apply(loaded.examples());
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("dataset", selection.type);
            report.put("path", selection.path);
            report.put("examples", loaded.examples().size());
            report.put("kept_by_filter", loaded.keptByFilter());
            report.put("by_difficulty", countByTier(loaded.examples()));
            report.put("numeric_answers", numeric.size());
            report.put("numeric_by_difficulty", countByTier(numeric));
            report.put("skipped", loaded.skipped().size());
            report.put("skipped_records", loaded.skipped().stream().map(DataIssue::toString).toList());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                report.forEach((k, v) -> {
                    if (v instanceof List<?> list) {
                        out.println(k + ":");
                        list.forEach(item -> out.println("  " + item));
                    } else {
                        out.println(k + ": " + v);
                    }
                });
            }
            return ExitCodes.OK;
        }

        private static Map<String, Integer> countByTier(List<Example> examples) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            Evaluator.byTier(examples).forEach((tier, indices) -> counts.put(tier, indices.length));
            return counts;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Show a few examples as the policy will see them (plain prompt template).")
    static final class Sample implements Callable<Integer> {

        @ParentCommand
        DataCommand data;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Selection selection;

        @Option(names = "-n", defaultValue = "5", description = "How many (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--template", defaultValue = "{question}", description = "Prompt template (default: ${DEFAULT-VALUE}).")
        String template;

        @Override
        public Integer call() {
            if (count < 0) {
                throw new UsageException("-n must be >= 0 (got " + count + ")");
            }
            Loaded loaded = selection.load(data.parent, "fail");
            PrintWriter out = spec.commandLine().getOut();
            org.prefopt.api.data.PromptTemplate prompt = new org.prefopt.api.data.PromptTemplate(template, false, "");
            for (Example e : loaded.examples().subList(0, Math.min(count, loaded.examples().size()))) {
                out.println("--- " + e.id() + " (" + e.origin() + ") difficulty " + e.difficulty()
                        + (e.subject() == null ? "" : ", " + e.subject()) + ", gold " + e.goldAnswer());
                out.println(prompt.render(e, null));
            }
            return ExitCodes.OK;
        }
    }
}
