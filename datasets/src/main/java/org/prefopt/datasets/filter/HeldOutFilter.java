package org.prefopt.datasets.filter;

import java.util.List;
import java.util.Locale;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.split.SplitSide;
import org.prefopt.datasets.split.Splits;

/**
 * One side of a seeded train/held-out split of whatever list it is given: the same dataset filtered with
 * {@code side = train} for training and {@code side = held-out} for an eval set gives two disjoint parts, and
 * prompts that occur more than once (after normalisation) always land on the same side. The split is
 * {@link Splits#heldOut}: deterministic in the list, the fraction and the seed, so both sides must see the same
 * list (the same dataset and the same filters before this one).
 */
public final class HeldOutFilter implements DatasetFilter {

    private final double fraction;
    private final long seed;
    private final SplitSide side;

    public HeldOutFilter(double fraction, long seed, SplitSide side) {
        if (side == SplitSide.ALL) {
            throw new IllegalArgumentException("the held-out filter keeps one side: train or held-out");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be strictly between 0 and 1 (got " + fraction + ")");
        }
        this.fraction = fraction;
        this.seed = seed;
        this.side = side;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "held-out[%s of a %.3g split, seed %d]",
                side == SplitSide.TRAIN ? "train side" : "held-out side", fraction, seed);
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        Splits.Split split = Splits.heldOut(examples, fraction, seed);
        return side == SplitSide.TRAIN ? split.train() : split.eval();
    }
}
