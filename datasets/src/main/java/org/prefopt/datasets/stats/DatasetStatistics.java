package org.prefopt.datasets.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.numeric.NumericAnswer;

/**
 * What {@code prefopt data stats} prints: totals, examples per difficulty tier, numeric-answer counts (by the
 * {@link NumericAnswer} definition), subjects, the records skipped with their reasons, and how many examples each
 * filter kept.
 *
 * @param total          examples after all filters
 * @param read           examples the dataset yielded (before filters)
 * @param perDifficulty  examples per difficulty tier, {@code 0} = unknown
 * @param numeric        counts keyed {@code integer}, {@code decimal}, {@code fraction}, {@code non-numeric},
 *                       {@code no-answer}
 * @param perSubject     examples per subject ({@code (none)} for examples without one)
 * @param skipped        every skipped record
 * @param filterSteps    one entry per filter, in order
 */
public record DatasetStatistics(long total, long read, SortedMap<Integer, Long> perDifficulty,
                                Map<String, Long> numeric, SortedMap<String, Long> perSubject,
                                List<DataIssue> skipped, List<FilterStep> filterSteps) {

    /** How many examples a filter kept of how many it saw. */
    public record FilterStep(String filter, long before, long kept) {
    }

    /** Statistics of a plain stream plus the issues skipped while reading it. The stream is consumed. */
    public static DatasetStatistics of(Stream<Example> examples, List<DataIssue> skipped) {
        Accumulator acc = new Accumulator();
        examples.forEach(acc);
        return acc.build(acc.count, skipped, List.of());
    }

    /**
     * Reads {@code dataset} (collecting skipped records), applies {@code filters} in order, and describes the
     * result. The entry point for the CLI's {@code data stats}.
     */
    public static DatasetStatistics compute(Dataset dataset, List<DatasetFilter> filters) {
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> examples;
        try (Stream<Example> s = dataset.examples(skipped::add)) {
            examples = s.toList();
        }
        long read = examples.size();
        List<FilterStep> steps = new ArrayList<>();
        for (DatasetFilter f : filters) {
            long before = examples.size();
            examples = f.apply(examples);
            steps.add(new FilterStep(f.describe(), before, examples.size()));
        }
        Accumulator acc = new Accumulator();
        examples.forEach(acc);
        return acc.build(read, skipped, steps);
    }

    /** Skipped records counted per distinct reason text. */
    public SortedMap<String, Long> skippedByReason() {
        SortedMap<String, Long> out = new TreeMap<>();
        for (DataIssue i : skipped) {
            out.merge(i.reason(), 1L, Long::sum);
        }
        return out;
    }

    public long numericTotal() {
        return numeric.getOrDefault("integer", 0L) + numeric.getOrDefault("decimal", 0L)
                + numeric.getOrDefault("fraction", 0L);
    }

    /** A plain-text report. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("examples: ").append(total);
        if (read != total) {
            sb.append(" (of ").append(read).append(" read)");
        }
        sb.append('\n');
        for (FilterStep f : filterSteps) {
            sb.append("  filter ").append(f.filter()).append(": kept ").append(f.kept()).append(" of ")
                    .append(f.before()).append('\n');
        }
        sb.append("difficulty:\n");
        perDifficulty.forEach((d, n) -> sb.append("  ").append(d == 0 ? "unknown" : d.toString()).append(": ")
                .append(n).append('\n'));
        sb.append("answers: numeric ").append(numericTotal()).append(" (integer ")
                .append(numeric.getOrDefault("integer", 0L)).append(", decimal ")
                .append(numeric.getOrDefault("decimal", 0L)).append(", fraction ")
                .append(numeric.getOrDefault("fraction", 0L)).append("), non-numeric ")
                .append(numeric.getOrDefault("non-numeric", 0L)).append(", none ")
                .append(numeric.getOrDefault("no-answer", 0L)).append('\n');
        if (!(perSubject.size() == 1 && perSubject.containsKey(NO_SUBJECT))) {
            sb.append("subjects:\n");
            perSubject.forEach((s, n) -> sb.append("  ").append(s).append(": ").append(n).append('\n'));
        }
        sb.append("skipped: ").append(skipped.size()).append('\n');
        for (DataIssue i : skipped) {
            sb.append("  ").append(i).append('\n');
        }
        return sb.toString();
    }

    /** The same as JSON (Jackson tree), for {@code --json}. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("examples", total);
        o.put("read", read);
        ArrayNode fs = o.putArray("filters");
        filterSteps.forEach(s -> fs.addObject().put("filter", s.filter()).put("before", s.before())
                .put("kept", s.kept()));
        ObjectNode d = o.putObject("difficulty");
        perDifficulty.forEach((k, v) -> d.put(k == 0 ? "unknown" : k.toString(), v));
        ObjectNode n = o.putObject("answers");
        numeric.forEach(n::put);
        n.put("numeric", numericTotal());
        ObjectNode s = o.putObject("subjects");
        perSubject.forEach(s::put);
        ArrayNode sk = o.putArray("skipped");
        skipped.forEach(i -> sk.addObject().put("file", i.file()).put("line", i.line()).put("reason", i.reason()));
        return o;
    }

    static final String NO_SUBJECT = "(none)";

    private static final class Accumulator implements Consumer<Example> {
        long count;
        final SortedMap<Integer, Long> difficulty = new TreeMap<>();
        final Map<String, Long> numeric = new java.util.LinkedHashMap<>();
        final SortedMap<String, Long> subjects = new TreeMap<>();

        Accumulator() {
            for (String k : List.of("integer", "decimal", "fraction", "non-numeric", "no-answer")) {
                numeric.put(k, 0L);
            }
        }

        @Override
        public void accept(Example e) {
            count++;
            difficulty.merge(e.difficulty(), 1L, Long::sum);
            String kind;
            if (e.goldAnswer() == null) {
                kind = "no-answer";
            } else {
                kind = NumericAnswer.parse(e.goldAnswer())
                        .map(a -> a.kind().name().toLowerCase(java.util.Locale.ROOT)).orElse("non-numeric");
            }
            numeric.merge(kind, 1L, Long::sum);
            subjects.merge(e.subject() == null ? NO_SUBJECT : e.subject(), 1L, Long::sum);
        }

        DatasetStatistics build(long read, List<DataIssue> skipped, List<FilterStep> steps) {
            return new DatasetStatistics(count, read, Collections.unmodifiableSortedMap(difficulty),
                    Collections.unmodifiableMap(numeric), Collections.unmodifiableSortedMap(subjects),
                    List.copyOf(skipped), List.copyOf(steps));
        }
    }
}
