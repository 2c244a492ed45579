package org.prefopt.launcher.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.rollout.WeightedReward;

/**
 * Everything a {@link TrainingJob} needs, already built: the launcher's glue turns the run file into this.
 *
 * @param policy       the trainable policy
 * @param backend      its backend (seeded per step so engine-side randomness is resumable)
 * @param pool         the training examples, loaded and filtered
 * @param sampler      the run's prompt sampler
 * @param rewards      the weighted rewards, in run-file order (the first one is the default correctness reward)
 * @param stages       the stages in order; their steps must add up to {@code settings.steps()}
 * @param template     how an example becomes prompt text
 * @param sampling     generation settings for training rollouts; the seed is replaced per step and call
 * @param settings     loop settings
 * @param evalSettings how evaluation judges and samples
 * @param evalSets     the evaluation sets (may be empty)
 * @param runDirectory the run directory (metrics.jsonl, checkpoints/, eval/)
 */
public record TrainingSetup(PolicyModel policy, Backend backend, List<Example> pool, PromptSampler sampler,
                            List<WeightedReward> rewards, List<Stage> stages, PromptTemplate template,
                            SamplingParams sampling, RunSettings settings, EvalSettings evalSettings,
                            List<EvalSet> evalSets, Path runDirectory) {

    public TrainingSetup {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(evalSettings, "evalSettings");
        Objects.requireNonNull(runDirectory, "runDirectory");
        pool = List.copyOf(pool);
        rewards = List.copyOf(rewards);
        stages = List.copyOf(stages);
        evalSets = List.copyOf(evalSets);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one stage");
        }
        int total = stages.stream().mapToInt(Stage::steps).sum();
        if (total != settings.steps()) {
            throw new IllegalArgumentException("the stages' steps add up to " + total + " but run.steps is "
                    + settings.steps() + "; make them agree");
        }
        if (!evalSets.isEmpty() && rewards.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one reward to judge correctness");
        }
        long distinct = evalSets.stream().map(EvalSet::name).distinct().count();
        if (distinct != evalSets.size()) {
            throw new IllegalArgumentException("eval set names must be unique");
        }
    }

    /** A single-stage run over the whole step budget. */
    public static TrainingSetup singleStage(PolicyModel policy, Backend backend, List<Example> pool,
                                            PromptSampler sampler, List<WeightedReward> rewards, String stageName,
                                            Algorithm algorithm, PromptTemplate template, SamplingParams sampling,
                                            RunSettings settings, EvalSettings evalSettings, List<EvalSet> evalSets,
                                            Path runDirectory) {
        return new TrainingSetup(policy, backend, pool, sampler, rewards,
                List.of(Stage.of(stageName, algorithm, settings.steps())), template, sampling, settings,
                evalSettings, evalSets, runDirectory);
    }
}
