package org.prefopt.launcher.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.launcher.evaluation.Proportion;
import org.prefopt.launcher.report.Charts;
import org.prefopt.launcher.report.HtmlPage;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * Writes a sweep's comparison into its directory: {@code comparison.md}, {@code comparison.html} with the same
 * tables, and one grouped bar chart per eval set (accuracy per tier, variants side by side, 95% interval bars); the
 * verdict lines of the findings on top, with the plateau finding's per-tier paired gain plotted.
 */
public final class ComparisonReport {

    public static final String MARKDOWN = "comparison.md";
    public static final String HTML = "comparison.html";

    private ComparisonReport() {
    }

    /** @return the HTML page */
    public static Path write(Comparison comparison, SweepSpec spec) {
        Path dir = spec.directory();
        AtomicFiles.write(dir.resolve(MARKDOWN), comparison.markdown().getBytes(StandardCharsets.UTF_8));
        HtmlPage page = new HtmlPage("prefopt sweep " + spec.name());
        for (Verdict v : comparison.verdicts()) {
            page.paragraph(v.line());
            if (v.tierGains() != null) {
                String png = "comparison-finding-" + v.number() + "-gain.png";
                gainChart(dir.resolve(png), v.tierGains());
                page.image(png, "paired gain per tier of " + v.tierGains().variant() + " over "
                        + v.tierGains().reference() + " on " + v.tierGains().set());
            }
        }
        page.paragraph(comparison.legend());
        for (String set : comparison.sets()) {
            List<Comparison.Row> rows = comparison.rows(set);
            page.heading("eval set " + set);
            page.table(comparison.table(set));
            String png = "comparison-" + set.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
            chart(dir.resolve(png), set, rows);
            page.image(png, "accuracy per tier by variant on " + set);
        }
        if (comparison.sets().isEmpty()) {
            page.paragraph("No variant has evaluation results yet.");
        }
        List<String[]> links = new ArrayList<>();
        for (VariantOutcome o : comparison.outcomes()) {
            links.add(new String[] {o.variant().name() + " (" + o.state().status() + ")",
                    o.variant().name() + "/" + RunDirectory.REPORT + "/" + RunDirectory.REPORT_HTML});
        }
        page.heading("Runs");
        page.links(links);
        page.write(dir.resolve(HTML));
        return dir.resolve(HTML);
    }

    private static void chart(Path png, String set, List<Comparison.Row> rows) {
        Set<String> tiers = new LinkedHashSet<>();
        rows.forEach(r -> tiers.addAll(r.tiers().keySet()));
        List<String> categories = new ArrayList<>();
        tiers.forEach(t -> categories.add("tier " + t));
        categories.add("overall");
        List<Charts.Bars> series = new ArrayList<>();
        for (Comparison.Row r : rows) {
            if (r.overall() == null) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String t : tiers) {
                add(r.tiers().get(t), values, errors);
            }
            add(r.overall(), values, errors);
            series.add(new Charts.Bars(r.label() + " (" + r.ownSteps() + " steps)", values, errors));
        }
        if (!series.isEmpty()) {
            Charts.bars(png, "Accuracy per difficulty tier on " + set + " by variant", "difficulty tier",
                    "greedy pass@1 (%)", categories, series);
        }
    }

    /** The plateau finding's per-tier paired gain with its bootstrap interval (asymmetric, so drawn as two lines). */
    private static void gainChart(Path png, Verdict.TierGains g) {
        int n = g.tiers().size();
        double[] x = new double[n];
        double[] gain = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        double[] zero = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Integer.parseInt(g.tiers().get(i));
            gain[i] = 100 * g.gains().get(i).difference();
            low[i] = 100 * g.gains().get(i).low();
            high[i] = 100 * g.gains().get(i).high();
        }
        Charts.line(png, "Paired gain of " + g.variant() + " over " + g.reference() + " per tier on " + g.set()
                        + " (bootstrap 95% interval)", "difficulty tier", "greedy pass@1 gain (points)", List.of(
                        new Charts.Line(g.variant() + " - " + g.reference(), x, gain, null, true),
                        new Charts.Line("95% upper end", x, high, null, true),
                        new Charts.Line("95% lower end", x, low, null, true),
                        new Charts.Line("no gain", x, zero, null, false)));
    }

    private static void add(Proportion p, List<Double> values, List<Double> errors) {
        values.add(p == null ? 0.0 : 100 * p.value());
        errors.add(p == null ? 0.0 : 100 * (p.high() - p.low()) / 2);
    }
}
