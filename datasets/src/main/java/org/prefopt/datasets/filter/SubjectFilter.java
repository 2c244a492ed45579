package org.prefopt.datasets.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;

/**
 * Keeps examples whose subject is in {@code keep} (when not empty) and not in {@code drop}. Matching ignores
 * case and surrounding whitespace. With a non-empty keep list, examples without a subject are dropped.
 */
public final class SubjectFilter implements DatasetFilter {

    private final Set<String> include;
    private final Set<String> exclude;

    public SubjectFilter(List<String> include, List<String> exclude) {
        this.include = normalise(include);
        this.exclude = normalise(exclude);
    }

    private static Set<String> normalise(List<String> subjects) {
        return subjects.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public String describe() {
        return "subject[" + (include.isEmpty() ? "" : "keep=" + include)
                + (exclude.isEmpty() ? "" : (include.isEmpty() ? "" : ", ") + "drop=" + exclude) + "]";
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            String s = e.subject() == null ? null : e.subject().strip().toLowerCase(Locale.ROOT);
            boolean in = include.isEmpty() || (s != null && include.contains(s));
            if (in && (s == null || !exclude.contains(s))) {
                out.add(e);
            }
        }
        return out;
    }
}
