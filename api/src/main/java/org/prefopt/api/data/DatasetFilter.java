package org.prefopt.api.data;

import java.util.List;

/** Decides which examples stay. Filters form a list in the run file and apply in order. */
public interface DatasetFilter {

    /** Short description for the "kept N of M" report line, e.g. {@code difficulty[1..2]}. */
    String describe();

    /** Returns the examples to keep, in their original order. May look at the whole list (quantile ranges). */
    List<Example> apply(List<Example> examples);
}
