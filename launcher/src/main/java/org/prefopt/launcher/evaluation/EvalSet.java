package org.prefopt.launcher.evaluation;

import java.util.List;
import java.util.Objects;
import org.prefopt.api.data.Example;

/**
 * One evaluation set of a run.
 *
 * @param name     directory name under {@code eval/}; lower-case letters, digits, {@code -}, {@code _}, {@code .}
 * @param examples the examples, loaded and filtered
 * @param samples  completions sampled per example for mean@k / pass@k; 0 for none
 * @param greedy   whether to run the greedy pass@1 pass
 */
public record EvalSet(String name, List<Example> examples, int samples, boolean greedy) {

    public EvalSet {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("eval set name '" + name
                    + "' must use only letters, digits, '.', '_' and '-' (it names a directory)");
        }
        examples = List.copyOf(examples);
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
}
