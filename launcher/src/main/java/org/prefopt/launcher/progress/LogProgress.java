package org.prefopt.launcher.progress;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as log lines: step, reward, step time and an ETA from the mean time of the steps run so far. */
public final class LogProgress implements ProgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(LogProgress.class);

    private final int every;
    private int firstStep;
    private int totalSteps;
    /** Step times of the most recent steps: stages differ in speed (SFT vs GRPO), so the ETA follows the current one. */
    private final java.util.ArrayDeque<Double> recent = new java.util.ArrayDeque<>();
    private double recentSeconds;
    private static final int WINDOW = 20;

    public LogProgress(int every) {
        this.every = Math.max(1, every);
    }

    @Override
    public void started(int firstStep, int totalSteps) {
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        LOG.info("training steps {}..{}", firstStep, totalSteps);
    }

    @Override
    public void stepDone(int step, Map<String, Double> metrics) {
        Double t = metrics.get("step_time");
        if (t != null && Double.isFinite(t)) {
            recent.addLast(t);
            recentSeconds += t;
            if (recent.size() > WINDOW) {
                recentSeconds -= recent.removeFirst();
            }
        }
        if (step % every != 0 && step != totalSteps && step != firstStep) {
            return;
        }
        LOG.info(line(step, metrics));
    }

    String line(int step, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "step %d/%d", step, totalSteps));
        append(sb, "reward", metrics.get("reward"));
        append(sb, "loss", metrics.get("loss"));
        append(sb, "step_time", metrics.get("step_time"));
        if (!recent.isEmpty()) {
            double eta = recentSeconds / recent.size() * (totalSteps - step);
            sb.append(" eta ").append(formatDuration(eta));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String name, Double v) {
        if (v != null) {
            sb.append(String.format(Locale.ROOT, " %s %.4g", name, v));
        }
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void evaluated(int step, String set, String summary) {
        LOG.info("eval {} at step {}: {}", set, step, summary);
    }

    @Override
    public void checkpointed(int step, Path directory) {
        LOG.info("checkpoint at step {}: {}", step, directory);
    }
}
