package org.prefopt.datasets.filter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.numeric.NumericAnswer;

/**
 * Keeps examples whose gold answer is numeric by {@link NumericAnswer}'s definition and of one of the accepted
 * kinds; with {@code invert}, keeps exactly the others (including examples without a gold answer).
 */
public final class NumericAnswerFilter implements DatasetFilter {

    private final Set<NumericAnswer.Kind> accept;
    private final boolean invert;

    public NumericAnswerFilter(Set<NumericAnswer.Kind> accept, boolean invert) {
        if (accept.isEmpty()) {
            throw new IllegalArgumentException("accept must list at least one of integer, decimal, fraction");
        }
        this.accept = EnumSet.copyOf(accept);
        this.invert = invert;
    }

    @Override
    public String describe() {
        return (invert ? "non-numeric-answer" : "numeric-answer") + accept.toString().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean matches(Example e) {
        Optional<NumericAnswer> n = NumericAnswer.parse(e.goldAnswer());
        return n.isPresent() && accept.contains(n.get().kind());
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            if (matches(e) != invert) {
                out.add(e);
            }
        }
        return out;
    }
}
