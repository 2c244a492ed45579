package org.prefopt.launcher.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.launcher.evaluation.EvalSummary;
import org.prefopt.launcher.evaluation.Evaluator;
import org.prefopt.launcher.evaluation.GreedyResults;
import org.prefopt.launcher.evaluation.PairedBootstrap;

/**
 * Matches two variants' greedy results on an eval set problem by problem (by id, at each variant's last evaluation
 * of the set), for the paired bootstraps of the comparison. Each generations file is read once.
 */
final class Pairing {

    /** The single stratum of an overall comparison. */
    static final String ALL = "all";

    private final SweepSpec spec;
    private final Map<Path, Map<String, GreedyResults.Result>> read = new HashMap<>();

    Pairing(SweepSpec spec) {
        this.spec = spec;
    }

    /** Whether the variant has a greedy evaluation of the set to pair. */
    static boolean evaluated(VariantOutcome o, String set) {
        EvalSummary s = o.evaluations().get(set);
        return s != null && s.greedy() != null;
    }

    /**
     * The per-problem outcomes of {@code a} and {@code b} on {@code set}, in one stratum ({@link #ALL}) or one per
     * difficulty tier (easiest first). Both must be {@link #evaluated}; a problem only one of them was evaluated on
     * is refused, not dropped: the two would no longer be measured on the same problems.
     */
    PairedBootstrap.Cell cell(VariantOutcome a, VariantOutcome b, String set, boolean byTier) {
        Map<String, GreedyResults.Result> ra = results(a, set);
        Map<String, GreedyResults.Result> rb = results(b, set);
        List<String> onlyA = ra.keySet().stream().filter(id -> !rb.containsKey(id)).toList();
        List<String> onlyB = rb.keySet().stream().filter(id -> !ra.containsKey(id)).toList();
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            throw new IllegalArgumentException("cannot pair " + runDirectory(a) + " and " + runDirectory(b)
                    + " on eval set '" + set + "': " + onlyA.size() + " problem(s) only in the first" + example(onlyA)
                    + " and " + onlyB.size() + " only in the second" + example(onlyB) + "; a paired comparison needs"
                    + " both evaluated on the same problems (give both variants the same eval set, then run prefopt"
                    + " eval on their last checkpoints)");
        }
        Map<String, List<boolean[]>> ordered = byTier ? new TreeMap<>(Evaluator.TIER_ORDER) : new LinkedHashMap<>();
        for (GreedyResults.Result r : ra.values()) {
            ordered.computeIfAbsent(byTier ? r.tier() : ALL, k -> new ArrayList<>())
                    .add(new boolean[] {r.correct(), rb.get(r.id()).correct()});
        }
        Map<String, boolean[]> av = new LinkedHashMap<>();
        Map<String, boolean[]> bv = new LinkedHashMap<>();
        ordered.forEach((stratum, list) -> {
            boolean[] x = new boolean[list.size()];
            boolean[] y = new boolean[list.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = list.get(i)[0];
                y[i] = list.get(i)[1];
            }
            av.put(stratum, x);
            bv.put(stratum, y);
        });
        return PairedBootstrap.Cell.of(av, bv);
    }

    private Map<String, GreedyResults.Result> results(VariantOutcome o, String set) {
        EvalSummary s = o.evaluations().get(set);
        return read.computeIfAbsent(GreedyResults.generationsFile(s), f -> GreedyResults.read(f));
    }

    Path runDirectory(VariantOutcome o) {
        return SweepRunner.runDirectory(spec, o.variant());
    }

    private static String example(List<String> ids) {
        return ids.isEmpty() ? "" : " (e.g. " + ids.subList(0, Math.min(3, ids.size())) + ")";
    }
}
