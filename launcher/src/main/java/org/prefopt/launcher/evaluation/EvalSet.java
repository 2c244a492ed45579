package org.prefopt.launcher.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prefopt.api.data.Example;

/**
 * One evaluation set of a run.
 *
 * @param name     directory name under {@code eval/}; lower-case letters, digits, {@code -}, {@code _}, {@code .}
 * @param examples the examples, loaded and filtered
 * @param samples  completions sampled per example for mean@k / pass@k; 0 for none
 * @param greedy   whether to run the greedy pass@1 pass
 * @param trainingOverlap for each training pool (e.g. {@code training}, {@code stage grpo}) that shares prompts with
 *                 this set, how many of the set's examples it shares; empty when the set is unseen by every pool
 */
public record EvalSet(String name, List<Example> examples, int samples, boolean greedy,
                      Map<String, Integer> trainingOverlap) {

    public EvalSet(String name, List<Example> examples, int samples, boolean greedy) {
        this(name, examples, samples, greedy, Map.of());
    }

    public EvalSet {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("eval set name '" + name
                    + "' must use only letters, digits, '.', '_' and '-' (it names a directory)");
        }
        examples = List.copyOf(examples);
        trainingOverlap = Collections.unmodifiableMap(new LinkedHashMap<>(trainingOverlap));
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("eval set '" + name + "' has no examples (check its dataset and filters)");
        }
        if (samples < 0) {
            throw new IllegalArgumentException("eval set '" + name + "': samples must be >= 0 (got " + samples + ")");
        }
        if (!greedy && samples == 0) {
            throw new IllegalArgumentException("eval set '" + name + "' has greedy = false and samples = 0: nothing to evaluate");
        }
    }

    /** This set with the overlap counts of the training pools that share prompts with it. */
    public EvalSet withTrainingOverlap(Map<String, Integer> overlap) {
        return new EvalSet(name, examples, samples, greedy, overlap);
    }
}
