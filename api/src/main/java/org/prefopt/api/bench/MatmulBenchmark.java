package org.prefopt.api.bench;

/**
 * An optional capability of a {@link org.prefopt.api.model.Backend}: measuring its device's achieved matrix-product
 * rate, so that {@code prefopt bench} can say what fraction of it generation and training reach. Kept out of
 * {@code Backend} itself because no run needs it; a backend without it is benchmarked without that fraction.
 */
public interface MatmulBenchmark {

    /**
     * The achieved FLOP rate of square matrix products of size {@code n} on this backend's device and dtype
     * (2·n³ FLOPs per product), over {@code repeats} products after a warm-up.
     */
    double measureMatmulFlops(int n, int repeats);
}
