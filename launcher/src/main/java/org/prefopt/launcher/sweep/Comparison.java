package org.prefopt.launcher.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.prefopt.launcher.evaluation.EvalSummary;
import org.prefopt.launcher.evaluation.EvalSummaryReader;
import org.prefopt.launcher.evaluation.PairedBootstrap;
import org.prefopt.launcher.evaluation.PairedDifference;
import org.prefopt.launcher.evaluation.Proportion;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * The sweep's comparison: for every eval set, each variant's last evaluation side by side (greedy pass@1 overall
 * and per difficulty tier, sampled mean@k), the training steps and wall time it used, and its difference from the
 * {@code compare-to} variant of the same grid cell with a paired bootstrap 95% interval (both are evaluated on the
 * same problems). With a grid, each variant also gets a row pooled over its grid cells (e.g. over seeds). Above the
 * tables, one verdict line per finding configured in {@code sweep.findings}.
 */
public final class Comparison {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SweepSpec spec;
    private final List<VariantOutcome> outcomes;
    private final Pairing pairing;
    /** rows and verdicts resample 10,000 times; the report asks for them several times */
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();
    private List<Verdict> verdicts;

    public Comparison(SweepSpec spec, List<VariantOutcome> outcomes) {
        this.spec = spec;
        this.outcomes = List.copyOf(outcomes);
        this.pairing = new Pairing(spec);
    }

    public List<VariantOutcome> outcomes() {
        return outcomes;
    }

    /** Reads every variant's run directory. */
    public static Comparison read(SweepSpec spec, SweepRunner runner) {
        List<VariantOutcome> out = new ArrayList<>();
        for (Variant v : spec.variants()) {
            Path dir = SweepRunner.runDirectory(spec, v);
            out.add(new VariantOutcome(v, runner.readState(v), countLines(dir.resolve(RunDirectory.METRICS_FILE)),
                    forkStep(dir), Files.isDirectory(dir) ? EvalSummaryReader.latest(dir) : Map.of()));
        }
        return new Comparison(spec, out);
    }

    private static int countLines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int forkStep(Path runDir) {
        Path f = runDir.resolve(RunDirectory.FORKED_FROM);
        if (!Files.exists(f)) {
            return 0;
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return n.path("step").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** Eval set names present in any variant, sorted. */
    public List<String> sets() {
        return outcomes.stream().flatMap(o -> o.evaluations().keySet().stream()).distinct().sorted().toList();
    }

    /** A table row: a variant, or a group pooled over its grid cells. */
    public record Row(String label, VariantOutcome outcome, int ownSteps, int steps, double wallSeconds,
                      Proportion overall, Map<String, Proportion> tiers, String meanAtK, PairedDifference delta,
                      String status) {
    }

    /** The verdicts of the configured findings, in the order of their numbers. */
    public List<Verdict> verdicts() {
        if (verdicts == null) {
            verdicts = FindingVerdicts.of(spec.findings(), outcomes, pairing);
        }
        return verdicts;
    }

    /** The rows of one eval set: every variant, then (with a grid) each group pooled. */
    public List<Row> rows(String set) {
        return rows.computeIfAbsent(set, this::computeRows);
    }

    private List<Row> computeRows(String set) {
        List<Row> rows = new ArrayList<>();
        for (VariantOutcome o : outcomes) {
            EvalSummary s = o.evaluations().get(set);
            Proportion overall = s == null ? null : s.greedy();
            PairedDifference delta = null;
            VariantOutcome ref = reference(o);
            if (ref != null && ref != o && Pairing.evaluated(o, set) && Pairing.evaluated(ref, set)) {
                delta = paired(Collections.singletonList(new VariantOutcome[] {o, ref}), set);
            }
            String meanAtK = s == null || s.meanAtK() == null ? "" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]",
                    100 * s.meanAtK().mean(), 100 * s.meanAtK().low(), 100 * s.meanAtK().high());
            rows.add(new Row(o.variant().name(), o, o.ownSteps(), o.steps(), o.state().wallSeconds(), overall,
                    s == null ? Map.of() : s.greedyTiers(), meanAtK, delta, o.state().status()));
        }
        boolean grid = outcomes.stream().anyMatch(o -> !o.variant().grid().isEmpty())
                && outcomes.stream().map(o -> o.variant().group()).distinct().count() < outcomes.size();
        if (grid) {
            Map<String, Row> pooled = new LinkedHashMap<>();
            for (String group : outcomes.stream().map(o -> o.variant().group()).distinct().toList()) {
                pooled.put(group, pool(group, set));
            }
            for (var e : pooled.entrySet()) {
                Row r = e.getValue();
                List<VariantOutcome[]> pairs = new ArrayList<>();
                for (VariantOutcome o : outcomes) {
                    VariantOutcome ref = reference(o);
                    if (o.variant().group().equals(e.getKey()) && ref != null && ref != o && Pairing.evaluated(o, set)
                            && Pairing.evaluated(ref, set)) {
                        pairs.add(new VariantOutcome[] {o, ref});
                    }
                }
                PairedDifference d = pairs.isEmpty() ? null : paired(pairs, set);
                rows.add(new Row(r.label(), null, r.ownSteps(), r.steps(), r.wallSeconds(), r.overall(), r.tiers(),
                        "", d, r.status()));
            }
        }
        return rows;
    }

    private Row pool(String group, String set) {
        List<VariantOutcome> members = outcomes.stream().filter(o -> o.variant().group().equals(group)).toList();
        long n = 0;
        long correct = 0;
        List<EvalSummary> evaluations = new ArrayList<>();
        int ownSteps = 0;
        int steps = 0;
        double wall = 0;
        int evaluated = 0;
        for (VariantOutcome o : members) {
            ownSteps += o.ownSteps();
            steps += o.steps();
            wall += o.state().wallSeconds();
            EvalSummary s = o.evaluations().get(set);
            if (s == null || s.greedy() == null) {
                continue;
            }
            evaluated++;
            n += s.greedy().n();
            correct += s.greedy().correct();
            evaluations.add(s);
        }
        String label = group + " (pooled over " + evaluated + " of " + members.size() + " runs)";
        return new Row(label, null, ownSteps / members.size(), steps / members.size(), wall / members.size(),
                n == 0 ? null : Proportion.of(correct, n), pooledTiers(evaluations), "", null,
                evaluated == members.size() ? VariantState.DONE : "incomplete");
    }

    /** Greedy accuracy per tier over several evaluations: correct answers and problems summed. */
    static Map<String, Proportion> pooledTiers(List<EvalSummary> evaluations) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (EvalSummary s : evaluations) {
            s.greedyTiers().forEach((t, p) -> {
                long[] c = sums.computeIfAbsent(t, k -> new long[2]);
                c[0] += p.correct();
                c[1] += p.n();
            });
        }
        Map<String, Proportion> out = new LinkedHashMap<>();
        sums.forEach((t, c) -> out.put(t, Proportion.of(c[0], c[1])));
        return out;
    }

    /** The paired difference of each (variant, reference) pair's overall accuracy, pooled over the pairs. */
    private PairedDifference paired(List<VariantOutcome[]> pairs, String set) {
        List<PairedBootstrap.Cell> cells = pairs.stream().map(p -> pairing.cell(p[0], p[1], set, false)).toList();
        return PairedBootstrap.of(cells).difference(List.of(Pairing.ALL));
    }

    /** The compare-to variant in the same grid cell, or null. */
    private VariantOutcome reference(VariantOutcome o) {
        return outcomes.stream().filter(r -> r.variant().group().equals(spec.compareTo())
                && r.variant().grid().equals(o.variant().grid())).findFirst().orElse(null);
    }

    /** What the tables show; {@code %s} is the compare-to variant. */
    public static final String LEGEND = "Greedy pass@1 on each eval set at each variant's last evaluation, with 95%"
            + " Wilson intervals; Δ is the paired difference from '%s' (same grid cell), in points: both are graded on"
            + " the same problems, matched by id, and the 95% interval is the percentile interval of a paired bootstrap"
            + " over problems (" + String.format(Locale.ROOT, "%,d", PairedBootstrap.RESAMPLES) + " resamples, fixed"
            + " seed); pooled rows resample grid cells, then problems in each (* = the interval excludes 0). Steps:"
            + " trained by the variant itself (after its fork) / in total.";

    /** The legend with the compare-to variant filled in, and the finding rules when there are findings. */
    public String legend() {
        return LEGEND.replace("%s", spec.compareTo()) + (spec.findings().isEmpty() ? "" : " " + FindingVerdicts.RULES);
    }

    /** The comparison table of one eval set, header row first. */
    public List<List<String>> table(String set) {
        List<Row> rows = rows(set);
        Set<String> tiers = new LinkedHashSet<>();
        rows.forEach(r -> tiers.addAll(r.tiers().keySet()));
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("variant", "steps", "wall time", "overall"));
        tiers.forEach(t -> header.add("tier " + t));
        header.add("sampled mean@k");
        header.add("Δ overall vs " + spec.compareTo() + " (paired bootstrap 95%)");
        table.add(header);
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(r.label() + (VariantState.DONE.equals(r.status()) ? "" : " (" + r.status() + ")"));
            cells.add(r.ownSteps() + " / " + r.steps());
            cells.add(formatWall(r.wallSeconds()));
            cells.add(cell(r.overall()));
            tiers.forEach(t -> cells.add(cell(r.tiers().get(t))));
            cells.add(r.meanAtK());
            cells.add(r.delta() == null ? "" : String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]%s",
                    100 * r.delta().difference(), 100 * r.delta().low(), 100 * r.delta().high(),
                    r.delta().significant() ? " *" : ""));
            table.add(cells);
        }
        return table;
    }

    /** The comparison as Markdown: one table per eval set. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Sweep ").append(spec.name()).append("\n\n");
        for (Verdict v : verdicts()) {
            out.append(v.line()).append("\n\n");
        }
        out.append(legend()).append("\n\n");
        for (String set : sets()) {
            out.append("## eval set ").append(set).append("\n\n");
            List<List<String>> table = table(set);
            out.append(row(table.get(0))).append(row(table.get(0).stream().map(h -> "---").toList()));
            table.subList(1, table.size()).forEach(r -> out.append(row(r)));
            out.append('\n');
        }
        if (sets().isEmpty()) {
            out.append("No variant has evaluation results yet (eval.sets empty, or nothing ran).\n");
        }
        return out.toString();
    }

    static String cell(Proportion p) {
        return p == null ? "" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * p.value(), 100 * p.low(),
                100 * p.high());
    }

    static String formatWall(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
