package org.prefopt.launcher.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSummary;
import org.prefopt.launcher.evaluation.Evaluator;
import org.prefopt.launcher.progress.LogProgress;
import org.prefopt.launcher.progress.ProgressListener;
import org.prefopt.launcher.rollout.PromptCache;
import org.prefopt.launcher.rollout.RewardScorer;
import org.prefopt.launcher.rollout.Seeds;
import org.prefopt.launcher.rundir.CheckpointStore;
import org.prefopt.launcher.rundir.LoopState;
import org.prefopt.launcher.rundir.MetricsLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: for each step, {@code algorithm.step(context)}, one line in {@code metrics.jsonl}, then
 * evaluation and a checkpoint when due. Stages run in order with global step numbers.
 *
 * <p>Exact resume: all randomness the loop hands out (step seeds, generation seeds, sampler seeds, backend seeds)
 * derives from the run seed and a position, and the rest (policy weights, optimizer, sampler and algorithm state)
 * is in the checkpoint, so {@link #resume()} continues with the same values an uninterrupted run produces. Nothing
 * lives only in memory between steps.
 */
public final class TrainingJob {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);

    private final TrainingSetup setup;
    private final ProgressListener progress;

    public TrainingJob(TrainingSetup setup) {
        this(setup, new LogProgress(setup.settings().logEvery()));
    }

    public TrainingJob(TrainingSetup setup, ProgressListener progress) {
        this.setup = setup;
        this.progress = progress;
    }

    /** Runs from step 1 in a run directory that has no metrics or checkpoints yet. */
    public TrainingOutcome run() {
        CheckpointStore store = new CheckpointStore(setup.runDirectory(), setup.settings().keepLast());
        if (!store.completeCheckpoints().isEmpty()) {
            throw new IllegalStateException(store.root() + " already holds checkpoints: resume the run "
                    + "(prefopt run --resume " + setup.runDirectory() + ") or choose another run name.");
        }
        store.cleanUp();
        try (MetricsLog metrics = MetricsLog.create(setup.runDirectory())) {
            return loop(store, metrics, null);
        }
    }

    /**
     * Continues from the newest complete checkpoint in the run directory (half-written ones are ignored and
     * removed), cutting {@code metrics.jsonl} back to that step. Without any checkpoint it starts over from step 1.
     */
    public TrainingOutcome resume() {
        CheckpointStore store = new CheckpointStore(setup.runDirectory(), setup.settings().keepLast());
        store.cleanUp();
        Optional<CheckpointStore.Checkpoint> latest = loadable(store, () -> store.latest());
        if (latest.isEmpty()) {
            LOG.info("no complete checkpoint in {}: starting from step 1", store.root());
            try (MetricsLog metrics = MetricsLog.truncateAndOpen(setup.runDirectory(), 0)) {
                return loop(store, metrics, null);
            }
        }
        CheckpointStore.Checkpoint cp = latest.get();
        LoopState state = cp.state();
        if (state.seed() != setup.settings().seed()) {
            throw new IllegalStateException("checkpoint " + cp.directory() + " was written with run.seed = "
                    + state.seed() + " but the config now says " + setup.settings().seed()
                    + "; resume with the run's own config (its resolved copy in the run directory)");
        }
        if (state.stage() >= setup.stages().size()
                || !setup.stages().get(state.stage()).name().equals(state.stageName())) {
            throw new IllegalStateException("checkpoint " + cp.directory() + " is in stage " + state.stage() + " ('"
                    + state.stageName() + "') but the config's stages are "
                    + setup.stages().stream().map(Stage::name).toList() + "; resume with the run's own config");
        }
        if (state.step() > setup.settings().steps()) {
            throw new IllegalStateException("checkpoint " + cp.directory() + " is at step " + state.step()
                    + ", beyond run.steps = " + setup.settings().steps());
        }
        LOG.info("resuming from {} (step {})", cp.directory(), state.step());
        loadable(store, () -> {
            setup.policy().loadTrainingState(cp.policyDirectory());
            return null;
        });
        try (MetricsLog metrics = MetricsLog.truncateAndOpen(setup.runDirectory(), state.metricsLines())) {
            return loop(store, metrics, cp);
        }
    }

    /**
     * Runs a step of loading the newest checkpoint; when it fails, the error names the damaged checkpoint and the
     * previous complete one, and how to resume from that instead.
     */
    private <T> T loadable(CheckpointStore store, Supplier<T> load) {
        try {
            return load.get();
        } catch (RuntimeException e) {
            List<Path> complete = store.completeCheckpoints();
            if (complete.isEmpty()) {
                throw e;
            }
            Path newest = complete.get(complete.size() - 1);
            String previous = complete.size() < 2 ? "there is no earlier checkpoint to fall back to"
                    : "the previous checkpoint is " + complete.get(complete.size() - 2) + ": resume from it with"
                    + " prefopt run --resume " + setup.runDirectory() + " --from-checkpoint "
                    + complete.get(complete.size() - 2).getFileName() + " (the steps after it are trained again;"
                    + " the damaged one is set aside, not deleted)";
            throw new IllegalStateException("the newest checkpoint " + newest + " cannot be loaded (" + e.getMessage()
                    + "); " + previous, e);
        }
    }

    private TrainingOutcome loop(CheckpointStore store, MetricsLog metrics, CheckpointStore.Checkpoint resumeFrom) {
        RunSettings settings = setup.settings();
        List<Stage> stages = setup.stages();
        int done = resumeFrom == null ? 0 : resumeFrom.state().step();
        long numTokens = resumeFrom == null ? 0 : resumeFrom.state().numTokens();
        Path lastCheckpoint = resumeFrom == null ? null : resumeFrom.directory();
        List<Integer> skipped = new ArrayList<>();
        List<EvalSummary> evaluations = new ArrayList<>();

        try (RewardScorer scorer = new RewardScorer(setup.rewards(), settings.rewardThreads())) {
            PromptCache prompts = new PromptCache(setup.template(), setup.policy().tokenizer());
            Evaluator evaluator = setup.evalSets().isEmpty() ? null
                    : new Evaluator(setup.policy(), setup.template(), scorer, setup.sampling(), setup.evalSettings(),
                            settings.seed(), setup.runDirectory());
            progress.started(done + 1, settings.steps());
            if (done == 0 && settings.evalAtStart()) {
                evaluate(evaluator, 0, evaluations);
            }
            int stageStart = 0;
            for (int s = 0; s < stages.size(); s++) {
                Stage stage = stages.get(s);
                int stageEnd = stageStart + stage.steps();
                if (done >= stageEnd) {
                    stageStart = stageEnd;
                    continue;
                }
                PromptSampler sampler = stage.sampler() != null ? stage.sampler() : setup.sampler();
                List<Example> pool = stage.pool() != null ? stage.pool() : setup.pool();
                sampler.initialize(pool, Seeds.derive(settings.seed(), Seeds.SAMPLER, s));
                // set on every entry, resumed or not: the override is not part of the policy's saved state
                setup.policy().overrideLearningRate(stage.learningRate());
                if (resumeFrom != null && resumeFrom.state().stage() == s && done > stageStart) {
                    sampler.restoreState(resumeFrom.samplerState());
                    stage.algorithm().restoreState(resumeFrom.algorithmState());
                } else if (s > 0 && stage.resetReference()) {
                    // a fresh start of this stage; inside it, the checkpoint already holds the reference
                    setup.policy().resetReference();
                    LOG.info("stage {} '{}' starts from the current model as its reference", s + 1, stage.name());
                }
                LOG.info("stage {} '{}': steps {}..{}", s + 1, stage.name(), Math.max(done, stageStart) + 1, stageEnd);
                for (int step = Math.max(done, stageStart) + 1; step <= stageEnd; step++) {
                    setup.backend().seed(Seeds.derive(settings.seed(), Seeds.BACKEND, step));
                    if (stage.warmupSteps() > 0) {
                        setup.policy().overrideLearningRate(stage.learningRateAt(step - stageStart));
                    }
                    LoopStepContext ctx = new LoopStepContext(step, settings.seed(), setup.policy(), sampler, prompts,
                            setup.sampling(), scorer);
                    long t0 = System.nanoTime();
                    StepResult result = stage.algorithm().step(ctx);
                    long elapsed = System.nanoTime() - t0;
                    numTokens += result.numTokens();

                    Map<String, Double> line = new TreeMap<>(ctx.metrics());
                    line.putAll(result.metrics());
                    line.putAll(setup.policy().optimizerMetrics());
                    line.put("num_tokens", (double) numTokens);
                    line.putAll(ctx.timings(elapsed));
                    String problem = nonFinite(result);
                    line.put(StepMetrics.NON_FINITE, problem == null ? 0.0 : 1.0);
                    metrics.append(step, line);
                    progress.stepDone(step, line);
                    done = step;

                    if (problem != null) {
                        String where = "step " + step + " (stage '" + stage.name() + "'): non-finite " + problem;
                        if (settings.onNonFinite() == NonFinitePolicy.STOP) {
                            throw new NonFiniteStepException(step, where + ". Stopped without checkpointing this step; "
                                    + (lastCheckpoint == null ? "no checkpoint was written yet"
                                    : "the last good checkpoint is " + lastCheckpoint)
                                    + ". Lower the learning rate or tighten gradient clipping, or set "
                                    + "run.on-non-finite = skip to skip such steps.");
                        }
                        LOG.warn("{}; skipped (run.on-non-finite = skip), no checkpoint at this step", where);
                        skipped.add(step);
                        continue;
                    }
                    if (settings.evalDue(step)) {
                        evaluate(evaluator, step, evaluations);
                    }
                    if (settings.checkpointDue(step)) {
                        LoopState state = new LoopState(LoopState.FORMAT, step, s, stage.name(), settings.seed(),
                                settings.steps(), metrics.lines(), numTokens);
                        lastCheckpoint = store.write(state, setup.policy()::saveTrainingState, sampler.saveState(),
                                stage.algorithm().saveState());
                        progress.checkpointed(step, lastCheckpoint);
                    }
                }
                stageStart = stageEnd;
            }
        } finally {
            progress.close();
        }
        return new TrainingOutcome(resumeFrom == null ? 1 : resumeFrom.state().step() + 1, done, skipped,
                lastCheckpoint, evaluations);
    }

    private void evaluate(Evaluator evaluator, int step, List<EvalSummary> evaluations) {
        if (evaluator == null) {
            return;
        }
        for (EvalSet set : setup.evalSets()) {
            EvalSummary summary = evaluator.evaluate(set, step);
            evaluations.add(summary);
            progress.evaluated(step, set.name(), summary.oneLine());
        }
    }

    /** Null when the step is clean, else which values were not finite. */
    static String nonFinite(StepResult result) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Double> e : new TreeMap<>(result.metrics()).entrySet()) {
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                bad.add(e.getKey() + "=" + v);
            }
        }
        if (result.nonFinite()) {
            bad.add("loss or gradients (flagged by the algorithm)");
        }
        return bad.isEmpty() ? null : String.join(", ", bad);
    }
}
