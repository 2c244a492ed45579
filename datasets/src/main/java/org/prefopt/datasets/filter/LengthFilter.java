package org.prefopt.datasets.filter;

import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;

/**
 * Keeps examples whose prompt has between {@code min-chars} and {@code max-chars} characters (Unicode code points,
 * before any prompt template; 0 = no bound). Characters, not tokens, so the filter does not depend on the policy's
 * tokenizer; for a character-level policy the two are the same.
 */
public final class LengthFilter implements DatasetFilter {

    private final int minChars;
    private final int maxChars;

    public LengthFilter(int minChars, int maxChars) {
        if (minChars < 0 || maxChars < 0 || (maxChars > 0 && minChars > maxChars)) {
            throw new IllegalArgumentException("length bounds must satisfy 0 <= min-chars <= max-chars (0 = none)");
        }
        this.minChars = minChars;
        this.maxChars = maxChars;
    }

    @Override
    public String describe() {
        return "length[" + (minChars > 0 ? minChars : "") + ".." + (maxChars > 0 ? maxChars : "") + " chars]";
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            int n = e.prompt().codePointCount(0, e.prompt().length());
            if (n >= minChars && (maxChars == 0 || n <= maxChars)) {
                out.add(e);
            }
        }
        return out;
    }
}
