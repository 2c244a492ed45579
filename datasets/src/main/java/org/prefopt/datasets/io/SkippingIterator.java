package org.prefopt.datasets.io;

import com.google.common.collect.AbstractIterator;

/**
 * Iterates the records of a file where one read may yield nothing without being the end (a skipped bad record, a
 * blank line), so the look-ahead loop lives here once for every file format.
 */
public abstract class SkippingIterator<T> extends AbstractIterator<T> {

    private boolean ended;

    /** Reads one record: its value, or null when it yields none; calls {@link #end()} at the end of the input. */
    protected abstract T readOne();

    /** Marks the end of the input: no further {@link #readOne()} call is made. */
    protected final void end() {
        ended = true;
    }

    @Override
    protected final T computeNext() {
        while (!ended) {
            T value = readOne();
            if (value != null) {
                return value;
            }
        }
        return endOfData();
    }
}
