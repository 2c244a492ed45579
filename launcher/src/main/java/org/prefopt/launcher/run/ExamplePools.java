package org.prefopt.launcher.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a dataset and applies its filters in order, logging what every step kept and every skipped record, so
 * that nothing leaves a run silently.
 */
public final class ExamplePools {

    private static final Logger LOG = LoggerFactory.getLogger(ExamplePools.class);

    /** How many skipped records are listed one by one before the rest is only counted. */
    private static final int LISTED_ISSUES = 20;

    private ExamplePools() {
    }

    /**
     * @param label    where the pool is used, for log lines (e.g. {@code training}, {@code eval set heldout})
     * @param limit    keep at most the first {@code limit} examples after filtering; 0: all
     */
    public static List<Example> load(String label, Dataset dataset, List<DatasetFilter> filters, int limit) {
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> examples;
        try (Stream<Example> stream = dataset.examples(skipped::add)) {
            examples = stream.toList();
        }
        LOG.info("{}: {} gave {} examples{}", label, dataset.describe(), examples.size(),
                skipped.isEmpty() ? "" : ", skipped " + skipped.size() + " bad records (dataset on-bad-record = skip)");
        for (int i = 0; i < Math.min(LISTED_ISSUES, skipped.size()); i++) {
            LOG.warn("{}: skipped {}", label, skipped.get(i));
        }
        if (skipped.size() > LISTED_ISSUES) {
            LOG.warn("{}: ... and {} more skipped records", label, skipped.size() - LISTED_ISSUES);
        }
        for (DatasetFilter filter : filters) {
            int before = examples.size();
            examples = filter.apply(examples);
            LOG.info("{}: filter {} kept {} of {}", label, filter.describe(), examples.size(), before);
        }
        if (limit > 0 && examples.size() > limit) {
            LOG.info("{}: using the first {} of {} examples (max-examples)", label, limit, examples.size());
            examples = examples.subList(0, limit);
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(label + ": no examples left after loading " + dataset.describe()
                    + " and applying " + filters.size() + " filter(s); loosen the filters or check the data");
        }
        return List.copyOf(examples);
    }

    /**
     * Warns about eval examples whose prompt (compared as {@link PromptKey}) also occurs in a training pool: their
     * accuracy measures memory, not generalisation. Returns how many there are.
     */
    public static int reportOverlap(String evalLabel, List<Example> eval, String trainLabel, List<Example> training) {
        Set<String> seen = new HashSet<>();
        training.forEach(e -> seen.add(PromptKey.of(e.prompt())));
        List<String> shared = eval.stream().filter(e -> seen.contains(PromptKey.of(e.prompt()))).map(Example::id)
                .toList();
        if (!shared.isEmpty()) {
            LOG.warn("{}: {} of its {} prompts also occur in the {} pool (e.g. {}); use separate files or the"
                    + " held-out filter on both sides", evalLabel, shared.size(), eval.size(), trainLabel,
                    shared.subList(0, Math.min(5, shared.size())));
        } else {
            LOG.info("{}: no prompt in common with the {} pool", evalLabel, trainLabel);
        }
        return shared.size();
    }
}
