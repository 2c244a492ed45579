package org.prefopt.launcher.progress;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar with step, reward and ETA, for interactive runs. Evaluation and checkpoint events go to
 * the log as with {@link LogProgress}, which this wraps so both views say the same thing.
 */
public final class BarProgress implements ProgressListener {

    private final LogProgress log;
    private ProgressBar bar;

    public BarProgress(LogProgress log) {
        this.log = log;
    }

    /** The bar when standard output is a terminal, plain log lines otherwise (CI, files, pipes). */
    public static ProgressListener forThisTerminal(int logEvery) {
        LogProgress log = new LogProgress(logEvery);
        return System.console() != null ? new BarProgress(log) : log;
    }

    @Override
    public void started(int firstStep, int totalSteps) {
        log.started(firstStep, totalSteps);
        bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
        bar.stepTo(firstStep - 1L);
    }

    @Override
    public void stepDone(int step, Map<String, Double> metrics) {
        bar.stepTo(step);
        Double reward = metrics.get("reward");
        Double loss = metrics.get("loss");
        StringBuilder extra = new StringBuilder();
        if (reward != null) {
            extra.append(String.format(Locale.ROOT, "reward %.3f", reward));
        }
        if (loss != null) {
            extra.append(extra.length() > 0 ? " " : "").append(String.format(Locale.ROOT, "loss %.4g", loss));
        }
        bar.setExtraMessage(extra.toString());
    }

    @Override
    public void evaluated(int step, String set, String summary) {
        log.evaluated(step, set, summary);
    }

    @Override
    public void checkpointed(int step, Path directory) {
        log.checkpointed(step, directory);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        log.close();
    }
}
