package org.prefopt.launcher.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.prefopt.launcher.evaluation.EvalSummary;
import org.prefopt.launcher.evaluation.Proportion;

/** The run's headline: greedy accuracy per evaluation set, step and difficulty tier, as table rows or Markdown. */
public final class EvalTable {

    private EvalTable() {
    }

    /** Per eval set (sorted by name): its title and its table, header row first. Sets without greedy pass left out. */
    public static Map<String, List<List<String>>> tables(List<EvalSummary> summaries) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        for (String set : summaries.stream().map(EvalSummary::set).distinct().sorted().toList()) {
            List<EvalSummary> rows = summaries.stream().filter(s -> s.set().equals(set) && s.greedy() != null)
                    .sorted(Comparator.comparingInt(EvalSummary::step)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            // greedyTiers keeps the evaluator's tier order (increasing difficulty, "unknown" last)
            LinkedHashSet<String> tiers = rows.stream().flatMap(r -> r.greedyTiers().keySet().stream())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            boolean sampled = rows.stream().anyMatch(r -> r.meanAtK() != null);
            String title = "eval set " + set + " (greedy pass@1 with 95% Wilson interval"
                    + (sampled ? "; sampled mean@k with 95% normal interval" : "") + ")";
            List<List<String>> table = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("step", "overall"));
            tiers.forEach(t -> header.add("tier " + t));
            if (sampled) {
                header.add("sampled mean@k");
            }
            table.add(header);
            for (EvalSummary r : rows) {
                List<String> cells = new ArrayList<>(List.of(Integer.toString(r.step()), cell(r.greedy())));
                tiers.forEach(t -> cells.add(r.greedyTiers().containsKey(t) ? cell(r.greedyTiers().get(t)) : ""));
                if (sampled) {
                    cells.add(r.meanAtK() == null ? "" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]",
                            100 * r.meanAtK().mean(), 100 * r.meanAtK().low(), 100 * r.meanAtK().high()));
                }
                table.add(cells);
            }
            out.put(title, table);
        }
        return out;
    }

    public static String render(List<EvalSummary> summaries) {
        StringBuilder out = new StringBuilder();
        tables(summaries).forEach((title, table) -> {
            out.append(title).append('\n');
            out.append(row(table.get(0))).append(row(table.get(0).stream().map(h -> "---").toList()));
            table.subList(1, table.size()).forEach(r -> out.append(row(r)));
            out.append('\n');
        });
        return out.toString();
    }

    private static String cell(Proportion p) {
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f] n=%d", 100 * p.value(), 100 * p.low(), 100 * p.high(),
                p.n());
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
