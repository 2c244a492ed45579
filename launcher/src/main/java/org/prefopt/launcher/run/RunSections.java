package org.prefopt.launcher.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.memory.MemorySettings;
import org.prefopt.launcher.training.NonFinitePolicy;
import org.prefopt.launcher.training.RunSettings;

/**
 * Builds the loop's settings records from the run-level sections of a resolved run file ({@code run},
 * {@code generation}, {@code prompt}, {@code eval}, {@code checkpoint}), already merged over the launcher's
 * run defaults: every key read here must be present. A value that does not fit gets an error naming the key and
 * the file and line it came from.
 */
public final class RunSections {

    static final String NO_ALGORITHM = "the run file has no algorithm section: add algorithm { type = grpo } (or a"
            + " stages list)";
    static final String NO_SAMPLER = "the run file has no sampler section: add sampler { type = uniform } (or give"
            + " every stage its own sampler)";
    static final String NO_DATASET = "the run file has no dataset section: add dataset { type = ... } (or give every"
            + " stage its own dataset)";
    private static final int MANY = Integer.MAX_VALUE;

    private RunSections() {
    }

    /**
     * Every rule of the run-level sections, checked when a run file is resolved ({@code prefopt validate}, {@code run},
     * {@code sweep}), through the same {@link OptionProblems} as the components' own checks, so that all problems
     * come at once with the file and line of each value. The builders below then read values known to be good.
     *
     * @param root the resolved run configuration (run-level sections merged over the launcher's defaults)
     */
    public static void validate(Config root, OptionProblems p) {
        p.requireRange(root, "run.steps", 1, MANY);
        p.requireRange(root, "run.log-every", 1, MANY);
        p.requireRange(root, "run.reward-threads", 1, 1024);
        p.requireOneOf(root, "run.on-non-finite", List.of("stop", "skip"));
        p.requireRange(root, "checkpoint.every", 0, MANY);
        p.requireRange(root, "checkpoint.keep-last", 1, MANY);

        p.requireRange(root, "generation.max-new-tokens", 1, MANY);
        if (!(root.getDouble("generation.temperature") > 0)) {
            p.add(root, "generation.temperature", "must be > 0: training rollouts are sampled (got "
                    + root.getDouble("generation.temperature") + ")");
        }
        double topP = root.getDouble("generation.top-p");
        if (!(topP > 0 && topP <= 1)) {
            p.add(root, "generation.top-p", "must be in (0, 1] (got " + topP + ")");
        }
        p.requireRange(root, "generation.top-k", 0, MANY);

        if (!root.getString("prompt.template").contains(PromptTemplate.PLACEHOLDER)) {
            p.add(root, "prompt.template", "must contain " + PromptTemplate.PLACEHOLDER + " where the example's"
                    + " question goes (got '" + root.getString("prompt.template") + "')");
        }

        p.requireRange(root, "eval.every", 0, MANY);
        p.requireRange(root, "eval.samples", 0, MANY);
        p.requireRange(root, "eval.max-examples", 0, MANY);
        p.requireRange(root, "eval.batch-size", 1, MANY);
        if (!Double.isFinite(root.getDouble("eval.correct-threshold"))) {
            p.add(root, "eval.correct-threshold", "must be a finite number");
        }
        for (int k : root.getIntList("eval.pass-at")) {
            if (k < 1) {
                p.add(root, "eval.pass-at", "values must be at least 1 (got " + k + ")");
            }
        }
        validateCorrectReward(root, p);
        MemorySettings.validate(root, p);
        List<? extends Config> sets = root.getConfigList("eval.sets");
        for (int i = 0; i < sets.size(); i++) {
            p.requireRange(root, "eval.sets." + i + ".samples", -1, MANY);
            p.requireRange(root, "eval.sets." + i + ".max-examples", -1, MANY);
        }

        boolean staged = root.hasPath("stages");
        List<? extends Config> stages = staged ? root.getConfigList("stages") : List.of();
        for (int i = 0; i < stages.size(); i++) {
            p.requireRange(root, "stages." + i + ".steps", 1, MANY);
        }
        if (!root.hasPath("algorithm") && (!staged || stages.stream().anyMatch(s -> !s.hasPath("algorithm")))) {
            p.add(root, "algorithm", NO_ALGORITHM);
        }
        if (!root.hasPath("sampler") && (!staged || stages.stream().anyMatch(s -> !s.hasPath("sampler")))) {
            p.add(root, "sampler", NO_SAMPLER);
        }
        if (!root.hasPath("dataset") && (!staged || stages.stream().anyMatch(s -> !s.hasPath("dataset")))) {
            p.add(root, "dataset", NO_DATASET);
        }
    }

    /** {@code eval.correct-reward}: first, total, or the name of one of the run's rewards (as metrics name it). */
    private static void validateCorrectReward(Config root, OptionProblems p) {
        String chosen = root.getString("eval.correct-reward");
        if (chosen.equals(EvalSettings.FIRST) || chosen.equals(EvalSettings.TOTAL)) {
            return;
        }
        List<String> names = new java.util.ArrayList<>();
        if (root.hasPath("reward")) {
            for (Config reward : root.getConfigList("reward")) {
                String base = reward.getString("type");
                String name = base;
                for (int i = 2; names.contains(name); i++) {
                    name = base + "-" + i;
                }
                names.add(name);
            }
        }
        if (!names.contains(chosen)) {
            p.add(root, "eval.correct-reward", "must be '" + EvalSettings.FIRST + "', '" + EvalSettings.TOTAL
                    + "' or the name of one of the run's rewards (" + (names.isEmpty() ? "the run has none"
                    : String.join(", ", names)) + "); got '" + chosen + "'");
        }
    }

    /** Keys: run.seed, run.steps, run.log-every, run.on-non-finite, run.reward-threads, checkpoint.every,
     * checkpoint.keep-last, eval.every, eval.at-start. */
    public static RunSettings settings(Config root) {
        return build(root, "run", () -> new RunSettings(
                root.getLong("run.seed"),
                root.getInt("run.steps"),
                root.getInt("run.log-every"),
                root.getInt("checkpoint.every"),
                root.getInt("checkpoint.keep-last"),
                root.getInt("eval.every"),
                root.getBoolean("eval.at-start"),
                NonFinitePolicy.parse(root.getString("run.on-non-finite")),
                root.getInt("run.reward-threads")));
    }

    /** Training generation settings; keys generation.max-new-tokens, temperature, top-p, top-k, stop. Seeded with run.seed (replaced per step). */
    public static SamplingParams generation(Config root) {
        return build(root, "generation", () -> new SamplingParams(
                root.getInt("generation.max-new-tokens"),
                root.getDouble("generation.temperature"),
                root.getDouble("generation.top-p"),
                root.getInt("generation.top-k"),
                false,
                root.getStringList("generation.stop"),
                root.getLong("run.seed")));
    }

    /** Keys prompt.template, prompt.chat-template, prompt.system. */
    public static PromptTemplate prompt(Config root) {
        return build(root, "prompt", () -> new PromptTemplate(
                root.getString("prompt.template"),
                root.getBoolean("prompt.chat-template"),
                root.getString("prompt.system")));
    }

    /** Keys eval.correct-reward, eval.correct-threshold, eval.samples, eval.pass-at, eval.greedy, eval.batch-size. */
    public static EvalSettings evaluation(Config root) {
        return build(root, "eval", () -> new EvalSettings(
                root.getString("eval.correct-reward"),
                root.getDouble("eval.correct-threshold"),
                root.getInt("eval.samples"),
                root.getIntList("eval.pass-at"),
                root.getBoolean("eval.greedy"),
                root.getInt("eval.batch-size")));
    }

    /**
     * One entry of {@code eval.sets}: reads {@code name} and the per-set override {@code samples} (absent or -1:
     * {@code eval.samples}); the caller loads {@code dataset}/{@code filter} into {@code examples}.
     */
    public static EvalSet evalSet(Config set, List<Example> examples, EvalSettings defaults) {
        return build(set, "eval.sets entry", () -> new EvalSet(
                set.getString("name"),
                examples,
                set.hasPath("samples") && set.getInt("samples") >= 0 ? set.getInt("samples") : defaults.samples(),
                defaults.greedy()));
    }

    private interface Builder<T> {
        T build();
    }

    private static <T> T build(Config config, String section, Builder<T> builder) {
        try {
            return builder.build();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("run file section '" + section + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            String origin = config.origin() == null ? "" : " (" + config.origin().description() + ")";
            throw new IllegalArgumentException("run file section '" + section + "'" + origin + ": " + e.getMessage(), e);
        }
    }
}
