package org.prefopt.datasets.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.TextTokenizer;

/**
 * Keeps examples whose prompt length lies in {@code [min, max]} (0 = no bound), measured in characters (Unicode
 * code points) or in tokens of the run's policy tokenizer, always on the example's prompt text before any prompt
 * template (a template adds the same tokens to every prompt).
 */
public final class LengthFilter implements DatasetFilter {

    private final int min;
    private final int max;
    private final String unit;
    private final ToIntFunction<String> measure;

    private LengthFilter(int min, int max, String unit, ToIntFunction<String> measure) {
        if (min < 0 || max < 0 || (max > 0 && min > max)) {
            throw new IllegalArgumentException("length bounds must satisfy 0 <= min <= max (0 = none); got min=" + min
                    + ", max=" + max + " " + unit);
        }
        this.min = min;
        this.max = max;
        this.unit = unit;
        this.measure = measure;
    }

    public static LengthFilter chars(int min, int max) {
        return new LengthFilter(min, max, "chars", s -> s.codePointCount(0, s.length()));
    }

    public static LengthFilter tokens(int min, int max, TextTokenizer tokenizer) {
        return new LengthFilter(min, max, "tokens", s -> tokenizer.encode(s).length);
    }

    @Override
    public String describe() {
        return "length[" + (min > 0 ? min : "") + ".." + (max > 0 ? max : "") + " " + unit + "]";
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            int n = measure.applyAsInt(e.prompt());
            if (n >= min && (max == 0 || n <= max)) {
                out.add(e);
            }
        }
        return out;
    }
}
