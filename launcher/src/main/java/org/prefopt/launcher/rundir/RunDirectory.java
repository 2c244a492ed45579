package org.prefopt.launcher.rundir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a run directory: every file and folder name a run writes is defined here and nowhere else, so that
 * the loop, evaluation, reports, forks, sweeps and the commands that read a run agree on it.
 *
 * <pre>
 * config.conf                       the resolved configuration ({@link #CONFIG_FILE})
 * config.trained.conf               the copy resumes are checked against ({@link ResumeCheck})
 * metrics.jsonl                     one line per step ({@link MetricsLog})
 * eval/&lt;set&gt;/step-N.json            evaluation summary; step-N-generations.jsonl: every generation
 * checkpoints/step-N/               training state ({@link CheckpointStore} owns what is inside)
 * forked-from.json                  provenance of a forked run ({@link RunFork})
 * report/report.html, summary.md    the human report, rebuilt by prefopt report
 * run.lock                          held by the one process working in the directory ({@link RunLock})
 * resume-changes.jsonl              settings changed when the run was resumed ({@link ResumeCheck})
 * </pre>
 *
 * @param root the run directory
 */
public record RunDirectory(Path root) {

    public static final String CONFIG_FILE = "config.conf";
    public static final String METRICS_FILE = "metrics.jsonl";
    public static final String EVAL = "eval";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String FORKED_FROM = "forked-from.json";
    public static final String REPORT = "report";
    public static final String REPORT_HTML = "report.html";
    public static final String REPORT_SUMMARY = "summary.md";
    public static final String LOCK_FILE = "run.lock";
    /** The resolved configuration the run's checkpoints were trained with (config.conf is for people to read). */
    public static final String TRAINED_CONFIG = "config.trained.conf";
    public static final String RESUME_CHANGES = "resume-changes.jsonl";

    /** Whether {@code dir} holds a run (its resolved configuration). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG_FILE));
    }

    public Path config() {
        return root.resolve(CONFIG_FILE);
    }

    public Path metrics() {
        return root.resolve(METRICS_FILE);
    }

    public Path checkpoints() {
        return root.resolve(CHECKPOINTS);
    }

    /** Where evaluations are written: one folder per eval set. */
    public Path eval() {
        return root.resolve(EVAL);
    }

    public Path evalSet(String set) {
        return eval().resolve(set);
    }

    public Path forkedFrom() {
        return root.resolve(FORKED_FROM);
    }

    public Path report() {
        return root.resolve(REPORT);
    }

    /** The name of the checkpoint folder of {@code step} under {@link #checkpoints()}. */
    public static String checkpointName(int step) {
        return "step-" + step;
    }

    /** The name of an eval set's summary file at {@code step}. */
    public static String evalSummaryName(int step) {
        return "step-" + step + ".json";
    }

    /** The name of an eval set's generations file at {@code step}. */
    public static String evalGenerationsName(int step) {
        return "step-" + step + "-generations.jsonl";
    }
}
