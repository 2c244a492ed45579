package org.prefopt.algorithms.grpo.loss;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded per-token log-probs (current, old, reference) and entropies for gradient checks. Values are multiples of
 * 1/64, so perturbed values stay exact in float; {@code oldSpread} bounds how far old log-probs lie from the current
 * ones (small: ratios stay away from the clip kinks).
 */
record RandomTokenScores(List<float[]> current, List<float[]> old, List<float[]> reference, List<float[]> entropy) {

    static RandomTokenScores of(long seed, int[] lengths, int oldSpread) {
        Random random = new Random(seed);
        List<float[]> lp = new ArrayList<>();
        List<float[]> old = new ArrayList<>();
        List<float[]> ref = new ArrayList<>();
        List<float[]> ent = new ArrayList<>();
        for (int len : lengths) {
            float[] l = new float[len];
            float[] o = new float[len];
            float[] r = new float[len];
            float[] e = new float[len];
            for (int t = 0; t < len; t++) {
                l[t] = -(1 + random.nextInt(128)) / 64f;
                o[t] = l[t] + (random.nextInt(2 * oldSpread + 1) - oldSpread) / 64f;
                r[t] = l[t] + (random.nextInt(33) - 16) / 64f;
                e[t] = random.nextInt(128) / 64f;
            }
            lp.add(l);
            old.add(o);
            ref.add(r);
            ent.add(e);
        }
        return new RandomTokenScores(lp, old, ref, ent);
    }
}
