package org.prefopt.launcher.run;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.launcher.assembly.RoutedPolicy;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.evaluation.EvalSummaryReader;
import org.prefopt.launcher.progress.BarProgress;
import org.prefopt.launcher.progress.ProgressListener;
import org.prefopt.launcher.report.EvalTable;
import org.prefopt.launcher.report.RunReport;
import org.prefopt.launcher.rollout.WeightedReward;
import org.prefopt.launcher.training.NonFiniteStepException;
import org.prefopt.launcher.training.RunSettings;
import org.prefopt.launcher.training.Stage;
import org.prefopt.launcher.training.TrainingJob;
import org.prefopt.launcher.training.TrainingOutcome;
import org.prefopt.launcher.training.TrainingSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a validated, wired run file into a {@link TrainingSetup} and runs (or resumes) it. */
public final class TrainingRunHandler implements RunHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRunHandler.class);

    @Override
    public int run(RunAssembly assembly, Path runDir, boolean resume) {
        TrainingSetup setup = setup(assembly, runDir);
        try (ProgressListener progress = BarProgress.forThisTerminal(setup.settings().logEvery())) {
            TrainingJob job = new TrainingJob(setup, progress);
            TrainingOutcome outcome = resume ? job.resume() : job.run();
            LOG.info("run finished: steps {}..{}{}, last checkpoint {}", outcome.firstStep(), outcome.lastStep(),
                    outcome.skippedSteps().isEmpty() ? "" : ", skipped steps " + outcome.skippedSteps(),
                    outcome.lastCheckpoint());
            // from the files: a resumed or forked run shows the evaluations of its earlier steps too
            System.out.print(EvalTable.render(EvalSummaryReader.readAll(runDir)));
            try {
                System.out.println("report: " + RunReport.write(runDir).toAbsolutePath());
            } catch (RuntimeException e) {
                // the training is done and saved; a report can be rebuilt with prefopt report
                LOG.warn("writing the report failed ({}); rebuild it with: prefopt report {}", e.getMessage(), runDir);
            }
            System.out.println("run directory: " + runDir.toAbsolutePath());
            return 0;
        } catch (NonFiniteStepException e) {
            LOG.error("{}", e.getMessage());
            return 1;
        }
    }

    /** Builds everything the loop needs from the assembly; public for tests and other commands. */
    public static TrainingSetup setup(RunAssembly assembly, Path runDir) {
        Config root = assembly.config();
        List<Stage> stages = stages(assembly, root);
        int totalSteps = stages.stream().mapToInt(Stage::steps).sum();
        RunSettings settings = RunSections.settings(root.withValue("run.steps",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(totalSteps)));

        List<Example> pool = assembly.has("dataset")
                ? pool(assembly, "training", "dataset", "filter", 0) : List.of();
        PromptSampler sampler = assembly.optionalComponent(Slot.SAMPLER, "sampler").orElse(null);
        if (sampler == null && stages.stream().anyMatch(s -> s.sampler() == null)) {
            throw new IllegalArgumentException(RunSections.NO_SAMPLER);
        }
        if (pool.isEmpty() && stages.stream().anyMatch(s -> s.pool() == null)) {
            throw new IllegalArgumentException(RunSections.NO_DATASET);
        }

        List<RewardFunction> functions = assembly.components(Slot.REWARD, "reward");
        List<WeightedReward> rewards = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            rewards.add(new WeightedReward(functions.get(i), assembly.rewardWeight(i)));
        }

        EvalSettings evalSettings = RunSections.evaluation(root);
        List<EvalSet> evalSets = new ArrayList<>();
        List<? extends Config> sets = root.getConfigList("eval.sets");
        int defaultLimit = root.getInt("eval.max-examples");
        for (int i = 0; i < sets.size(); i++) {
            Config set = sets.get(i);
            int limit = set.hasPath("max-examples") && set.getInt("max-examples") >= 0
                    ? set.getInt("max-examples") : defaultLimit;
            String prefix = "eval.sets." + i;
            List<Example> examples = pool(assembly, "eval set " + set.getString("name"), prefix + ".dataset",
                    prefix + ".filter", limit);
            String label = "eval set " + set.getString("name");
            Map<String, Integer> overlap = new LinkedHashMap<>();
            overlap.put("training", ExamplePools.reportOverlap(label, examples, "training", pool));
            for (Stage stage : stages) {
                if (stage.pool() != null) {
                    overlap.put("stage " + stage.name(),
                            ExamplePools.reportOverlap(label, examples, "stage " + stage.name(), stage.pool()));
                }
            }
            overlap.values().removeIf(n -> n == 0);
            evalSets.add(RunSections.evalSet(set, examples, evalSettings).withTrainingOverlap(overlap));
        }

        return new TrainingSetup(RoutedPolicy.of(assembly), assembly.component(Slot.BACKEND, "backend"),
                pool, sampler, rewards, stages, RunSections.prompt(root), RunSections.generation(root), settings,
                evalSettings, evalSets, runDir);
    }

    /**
     * The stages of the run: the {@code stages} list, or one stage with the top-level algorithm over
     * {@code run.steps}. With stages, the run lasts the sum of their steps and {@code run.steps} is not used.
     */
    private static List<Stage> stages(RunAssembly assembly, Config root) {
        Optional<Algorithm> topLevel = assembly.optionalComponent(Slot.ALGORITHM, "algorithm");
        if (!root.hasPath("stages")) {
            Algorithm algorithm = topLevel.orElseThrow(() -> new IllegalArgumentException(RunSections.NO_ALGORITHM));
            return List.of(Stage.of(assembly.type("algorithm"), algorithm, root.getInt("run.steps")));
        }
        List<? extends Config> entries = root.getConfigList("stages");
        List<Stage> stages = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String prefix = "stages." + i;
            int stageNumber = i + 1;
            Config entry = entries.get(i);
            String algorithmPath = assembly.has(prefix + ".algorithm") ? prefix + ".algorithm" : "algorithm";
            Algorithm algorithm = assembly.optionalComponent(Slot.ALGORITHM, algorithmPath).or(() -> topLevel)
                    .orElseThrow(() -> new IllegalArgumentException("stage " + stageNumber + " has no algorithm and the"
                            + " run file has no top-level algorithm section: add one of them"));
            String name = entry.getString("name").isEmpty() ? assembly.type(algorithmPath) : entry.getString("name");
            List<Example> pool = null;
            if (assembly.has(prefix + ".dataset")) {
                pool = pool(assembly, "stage " + name, prefix + ".dataset", prefix + ".filter", 0);
            } else if (!assembly.components(Slot.FILTER, prefix + ".filter").isEmpty()) {
                pool = pool(assembly, "stage " + name, "dataset", prefix + ".filter", 0);
            }
            PromptSampler sampler = assembly.optionalComponent(Slot.SAMPLER, prefix + ".sampler").orElse(null);
            stages.add(new Stage(name, algorithm, entry.getInt("steps"), pool, sampler,
                    entry.getBoolean("reset-reference"), entry.getDouble("learning-rate"),
                    entry.getInt("warmup-steps")));
        }
        int sum = stages.stream().mapToInt(Stage::steps).sum();
        if (root.getInt("run.steps") != sum) {
            LOG.info("run.steps = {} is replaced by the stages' total of {} steps", root.getInt("run.steps"), sum);
        }
        return stages;
    }

    private static List<Example> pool(RunAssembly assembly, String label, String datasetPath, String filterPath,
                                      int limit) {
        Dataset dataset = assembly.component(Slot.DATASET, datasetPath);
        List<DatasetFilter> filters = assembly.components(Slot.FILTER, filterPath);
        return ExamplePools.load(label, dataset, filters, limit);
    }
}
