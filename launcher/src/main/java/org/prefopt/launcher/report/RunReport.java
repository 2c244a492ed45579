package org.prefopt.launcher.report;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.launcher.evaluation.EvalSummary;
import org.prefopt.launcher.evaluation.EvalSummaryReader;
import org.prefopt.launcher.evaluation.Proportion;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * A run's human report, from its files alone (so it can be rebuilt at any time with {@code prefopt report}):
 * {@code report/report.html}, PNG plots next to it (training reward or loss, held-out accuracy over steps, accuracy
 * per difficulty tier at the first and last evaluation, completion length, DPO margins) and {@code report/summary.md}.
 */
public final class RunReport {

    private static final int SMOOTHING = 20;

    private RunReport() {
    }

    /**
     * One warning per eval set whose last evaluation shares prompts with a training pool: its accuracy then measures
     * memory as well as generalisation, which a reader of the report must see, not only the run log.
     */
    static List<String> overlapNotes(List<EvalSummary> evals) {
        Map<String, EvalSummary> latest = new TreeMap<>();
        evals.forEach(e -> latest.put(e.set(), e));
        List<String> notes = new ArrayList<>();
        latest.forEach((set, e) -> {
            Map<String, Integer> overlap = e.trainingOverlap();
            if (!overlap.isEmpty()) {
                List<String> parts = new ArrayList<>();
                overlap.forEach((pool, n) -> parts.add(n + " with the " + pool + " pool"));
                notes.add("Not unseen: eval set " + set + " shares prompts with training (" + String.join(", ", parts)
                        + "), so its accuracy measures memory as well as generalisation. Use a held-out split"
                        + " (the held-out filter, or split = train / held-out of a synthetic dataset).");
            }
        });
        return notes;
    }

    /** Writes the report of {@code runDir}; returns the HTML page. */
    public static Path write(Path runDir) {
        Path out = runDir.resolve(RunDirectory.REPORT);
        MetricsFile metrics = MetricsFile.read(runDir.resolve(RunDirectory.METRICS_FILE));
        List<EvalSummary> evals = EvalSummaryReader.readAll(runDir);
        String name = runName(runDir);
        HtmlPage page = new HtmlPage("prefopt run " + name);
        page.paragraph(metrics.steps() + " training steps in metrics.jsonl; " + evals.size() + " evaluations."
                + describeStages(runDir));

        Map<String, List<List<String>>> tables = EvalTable.tables(evals);
        page.heading("Held-out accuracy");
        if (tables.isEmpty()) {
            page.paragraph("No evaluation yet (eval.sets is empty, or the run has not reached an evaluation).");
        }
        tables.forEach((title, table) -> page.paragraph(title).table(table));
        List<String> overlapNotes = overlapNotes(evals);
        overlapNotes.forEach(page::paragraph);

        List<String> images = new ArrayList<>();
        for (String set : evals.stream().map(EvalSummary::set).distinct().sorted().toList()) {
            List<EvalSummary> ofSet = evals.stream().filter(e -> e.set().equals(set) && e.greedy() != null).toList();
            if (ofSet.isEmpty()) {
                continue;
            }
            String curve = "accuracy-" + fileSafe(set) + ".png";
            accuracyCurve(out.resolve(curve), set, ofSet);
            page.image(curve, "held-out accuracy over training steps, " + set);
            images.add(curve);
            String tiers = "tiers-" + fileSafe(set) + ".png";
            EvalSummary before = startOfLastStage(runDir, ofSet);
            tierBars(out.resolve(tiers), set, before, ofSet.get(ofSet.size() - 1));
            page.image(tiers, "accuracy per difficulty tier, before vs after the last stage, " + set);
            images.add(tiers);
        }

        page.heading("Training");
        if (metrics.has("reward")) {
            smoothed(out.resolve("reward.png"), "Mean reward of the policy's own samples", metrics, "reward");
            page.image("reward.png", "training reward per step");
            page.paragraph(String.format(Locale.ROOT, "Mean reward of the last 50 steps with a reward: %.3f.",
                    metrics.meanOfLast("reward", 50)));
        }
        if (metrics.has("loss")) {
            smoothed(out.resolve("loss.png"), "Training loss", metrics, "loss");
            page.image("loss.png", "training loss per step");
        }
        if (metrics.has("completions/mean_length")) {
            smoothed(out.resolve("length.png"), "Mean completion length (tokens)", metrics, "completions/mean_length");
            page.image("length.png", "mean completion length per step");
        }
        if (metrics.has("rewards/margins")) {
            double[][] m = metrics.series("rewards/margins");
            double[][] a = metrics.series("rewards/accuracies");
            Charts.line(out.resolve("dpo.png"), "DPO implicit reward margin and preference accuracy", "step",
                    "value", List.of(new Charts.Line("rewards/margins", m[0], MetricsFile.movingAverage(m[1], SMOOTHING),
                            null, false), new Charts.Line("rewards/accuracies", a[0],
                            MetricsFile.movingAverage(a[1], SMOOTHING), null, false)));
            page.image("dpo.png", "DPO margins and accuracies (moving averages)");
        }
        if (metrics.steps() == 0) {
            page.paragraph("No training step yet.");
        }
        if (metrics.has("step_time")) {
            double[] t = metrics.series("step_time")[1];
            double total = 0;
            for (double v : t) {
                total += v;
            }
            page.paragraph(String.format(Locale.ROOT, "Training time (sum of step times, evaluations excluded): %.0f s.",
                    total));
        }

        page.heading("Files");
        page.links(List.of(new String[] {"metrics.jsonl (one line per step)", "../" + RunDirectory.METRICS_FILE},
                new String[] {"config.conf (the resolved configuration)", "../" + RunDirectory.CONFIG_FILE},
                new String[] {"eval/ (summaries and every generation)", "../" + RunDirectory.EVAL + "/"},
                new String[] {"summary.md", RunDirectory.REPORT_SUMMARY}));
        page.write(out.resolve(RunDirectory.REPORT_HTML));

        StringBuilder md = new StringBuilder("# prefopt run " + name + "\n\n");
        md.append(metrics.steps()).append(" training steps.");
        if (metrics.has("reward")) {
            md.append(String.format(Locale.ROOT, " Mean reward of the last 50 steps: %.3f.",
                    metrics.meanOfLast("reward", 50)));
        }
        md.append("\n\n").append(EvalTable.render(evals));
        overlapNotes.forEach(n -> md.append("\n").append(n).append("\n"));
        AtomicFiles.write(out.resolve(RunDirectory.REPORT_SUMMARY), md.toString().getBytes(StandardCharsets.UTF_8));
        return out.resolve(RunDirectory.REPORT_HTML);
    }

    /** A per-step metric with its trailing moving average. */
    private static void smoothed(Path png, String title, MetricsFile metrics, String metric) {
        double[][] v = metrics.series(metric);
        Charts.line(png, title, "step", metric, List.of(new Charts.Line(metric, v[0], v[1], null, false),
                new Charts.Line("moving average (" + SMOOTHING + " steps)",
                        MetricsFile.movingAverageCentres(v[0], SMOOTHING), MetricsFile.movingAverage(v[1], SMOOTHING),
                        null, false)));
    }

    private static void accuracyCurve(Path png, String set, List<EvalSummary> evals) {
        double[] x = new double[evals.size()];
        double[] y = new double[evals.size()];
        double[] err = new double[evals.size()];
        List<Double> sx = new ArrayList<>();
        List<Double> sy = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            EvalSummary e = evals.get(i);
            x[i] = e.step();
            y[i] = 100 * e.greedy().value();
            err[i] = 100 * (e.greedy().high() - e.greedy().low()) / 2;
            if (e.meanAtK() != null) {
                sx.add((double) e.step());
                sy.add(100 * e.meanAtK().mean());
            }
        }
        List<Charts.Line> lines = new ArrayList<>();
        lines.add(new Charts.Line("greedy pass@1 (bars: 95% interval)", x, y, err, true));
        if (!sx.isEmpty()) {
            lines.add(new Charts.Line("sampled mean@k", sx.stream().mapToDouble(Double::doubleValue).toArray(),
                    sy.stream().mapToDouble(Double::doubleValue).toArray(), null, true));
        }
        Charts.line(png, "Held-out accuracy on " + set, "training step", "accuracy (%)", lines);
    }

    private static void tierBars(Path png, String set, EvalSummary first, EvalSummary last) {
        Set<String> tiers = new LinkedHashSet<>(first.greedyTiers().keySet());
        tiers.addAll(last.greedyTiers().keySet());
        List<String> categories = new ArrayList<>();
        tiers.forEach(t -> categories.add("tier " + t));
        categories.add("overall");
        List<Charts.Bars> series = new ArrayList<>();
        for (EvalSummary e : first == last ? List.of(first) : List.of(first, last)) {
            List<Double> values = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String t : tiers) {
                Proportion p = e.greedyTiers().get(t);
                values.add(p == null ? 0.0 : 100 * p.value());
                errors.add(p == null ? 0.0 : 100 * (p.high() - p.low()) / 2);
            }
            values.add(100 * e.greedy().value());
            errors.add(100 * (e.greedy().high() - e.greedy().low()) / 2);
            series.add(new Charts.Bars("step " + e.step(), values, errors));
        }
        Charts.bars(png, "Accuracy per difficulty tier on " + set + ": before vs after training", "difficulty tier",
                "greedy pass@1 (%)", categories, series);
    }

    /**
     * "Before training" for the tier chart: the evaluation where the run's last stage began (e.g. the SFT model a
     * GRPO stage starts from), when there is one; else the first evaluation.
     */
    static EvalSummary startOfLastStage(Path runDir, List<EvalSummary> evals) {
        Path conf = runDir.resolve(RunDirectory.CONFIG_FILE);
        int start = 0;
        if (Files.isRegularFile(conf)) {
            try {
                Config c = ConfigFactory.parseFile(conf.toFile());
                if (c.hasPath("stages")) {
                    List<? extends Config> stages = c.getConfigList("stages");
                    for (int i = 0; i < stages.size() - 1; i++) {
                        start += stages.get(i).getInt("steps");
                    }
                }
            } catch (ConfigException e) {
                start = 0;
            }
        }
        int from = start;
        return evals.stream().filter(e -> e.step() == from).findFirst().orElse(evals.get(0));
    }

    private static String runName(Path runDir) {
        Path conf = runDir.resolve(RunDirectory.CONFIG_FILE);
        if (Files.isRegularFile(conf)) {
            try {
                Config c = ConfigFactory.parseFile(conf.toFile());
                if (c.hasPath("run.name")) {
                    return c.getString("run.name");
                }
            } catch (ConfigException e) {
                return runDir.getFileName() + " (" + conf + " unreadable: " + e.getMessage() + ")";
            }
        }
        return String.valueOf(runDir.toAbsolutePath().getFileName());
    }

    private static String describeStages(Path runDir) {
        Path conf = runDir.resolve(RunDirectory.CONFIG_FILE);
        if (!Files.isRegularFile(conf)) {
            return "";
        }
        try {
            Config c = ConfigFactory.parseFile(conf.toFile());
            StringBuilder sb = new StringBuilder();
            if (c.hasPath("policy.type")) {
                sb.append(" Policy: ").append(c.getString("policy.type"))
                        .append(c.hasPath("policy.preset") ? " (" + c.getString("policy.preset") + ")" : "")
                        .append(c.hasPath("policy.path") ? " (" + c.getString("policy.path") + ")" : "").append('.');
            }
            if (c.hasPath("stages")) {
                List<String> stages = new ArrayList<>();
                for (Config s : c.getConfigList("stages")) {
                    stages.add(s.getString("name") + " (" + (s.hasPath("algorithm.type") ? s.getString("algorithm.type")
                            : "?") + ", " + s.getInt("steps") + " steps)");
                }
                sb.append(" Stages: ").append(String.join(", ", stages)).append('.');
            } else if (c.hasPath("algorithm.type")) {
                sb.append(" Algorithm: ").append(c.getString("algorithm.type")).append('.');
            }
            return sb.toString();
        } catch (ConfigException e) {
            return " (" + conf + " unreadable: " + e.getMessage() + ")";
        }
    }

    static String fileSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
