package org.prefopt.launcher.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.training.NonFinitePolicy;
import org.prefopt.launcher.training.RunSettings;

/**
 * Builds the loop's settings records from the run-level sections of a resolved run file ({@code run},
 * {@code generation}, {@code prompt}, {@code eval}, {@code checkpoint}), already merged over the launcher's
 * run defaults: every key read here must be present. A value that does not fit gets an error naming the key and
 * the file and line it came from.
 */
public final class RunSections {

    private RunSections() {
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
