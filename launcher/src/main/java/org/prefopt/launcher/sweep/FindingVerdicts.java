package org.prefopt.launcher.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prefopt.launcher.evaluation.Evaluator;
import org.prefopt.launcher.evaluation.PairedBootstrap;
import org.prefopt.launcher.evaluation.PairedDifference;
import org.prefopt.launcher.evaluation.Proportion;

/**
 * Decides each configured finding from the paired bootstraps: pooled over the grid cells where there is a grid
 * (the per-cell results are listed too). Each rule has the same shape: reproduced when the 95% interval clears the
 * finding's bound, inconclusive when only the estimate does, not reproduced otherwise ({@link #RULES}).
 */
final class FindingVerdicts {

    static final String PLATEAU = "accuracy plateaus as difficulty rises";
    static final String NON_INFERIOR = "easy-only training is non-inferior with fewer steps";
    static final String CROSS_DATASET = "training on another dataset carries over";

    /** The rules, for the legend of the report. */
    static final String RULES = "Finding verdicts: reproduced when the paired bootstrap 95% interval clears the"
            + " finding's bound, inconclusive when only the estimate does, not reproduced otherwise; with a grid they"
            + " use the result pooled over its cells. Finding 1 (plateau): the gain of the variant over the reference"
            + " on the hardest tier(s) is compared with the largest per-tier gain; reproduced when the interval of"
            + " (largest gain − hardest-tier gain) is above 0 (not reproduced when the largest gain is on the hardest"
            + " tiers). Finding 2 (non-inferior): variant − reference; reproduced when the interval's lower end is"
            + " above −margin, not reproduced when the estimate is not. Finding 3 (cross-dataset): variant −"
            + " reference on the set; reproduced when the lower end is above 0, \"inconclusive: direction matches\""
            + " when only the estimate is.";

    private final List<VariantOutcome> outcomes;
    private final Pairing pairing;

    private FindingVerdicts(List<VariantOutcome> outcomes, Pairing pairing) {
        this.outcomes = outcomes;
        this.pairing = pairing;
    }

    /** One verdict per configured finding, in the order of their numbers. */
    static List<Verdict> of(Findings findings, List<VariantOutcome> outcomes, Pairing pairing) {
        FindingVerdicts v = new FindingVerdicts(outcomes, pairing);
        List<Verdict> out = new ArrayList<>();
        if (findings.plateau() != null) {
            out.add(v.plateau(findings.plateau()));
        }
        if (findings.nonInferior() != null) {
            out.add(v.nonInferior(findings.nonInferior()));
        }
        if (findings.crossDataset() != null) {
            out.add(v.crossDataset(findings.crossDataset()));
        }
        return out;
    }

    /** The (variant, reference) outcomes of every grid cell where both evaluated the set, and the cells that did not. */
    private record Pairs(List<VariantOutcome[]> cells, List<String> missing) {
    }

    private Pairs pairs(String set, String variant, String reference) {
        List<VariantOutcome[]> cells = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (VariantOutcome v : outcomes) {
            if (!v.variant().group().equals(variant)) {
                continue;
            }
            VariantOutcome r = outcomes.stream().filter(o -> o.variant().group().equals(reference)
                    && o.variant().grid().equals(v.variant().grid())).findFirst().orElse(null);
            if (r == null) {
                continue;
            }
            for (VariantOutcome o : new VariantOutcome[] {v, r}) {
                if (!Pairing.evaluated(o, set)) {
                    missing.add(o.variant().name());
                }
            }
            if (Pairing.evaluated(v, set) && Pairing.evaluated(r, set)) {
                cells.add(new VariantOutcome[] {v, r});
            }
        }
        return new Pairs(cells, missing);
    }

    private static Verdict notEvaluated(int number, String title, String set, Pairs pairs) {
        return new Verdict(number, title, Verdict.INCONCLUSIVE, "no greedy evaluation of " + set + " to compare yet"
                + (pairs.missing().isEmpty() ? "" : " (missing: " + String.join(", ", pairs.missing()) + ")"), null);
    }

    private Verdict plateau(Findings.Plateau f) {
        int number = 1;
        Pairs pairs = pairs(f.set(), f.variant(), f.reference());
        if (pairs.cells().isEmpty()) {
            return notEvaluated(number, PLATEAU, f.set(), pairs);
        }
        List<PairedBootstrap.Cell> cells = pairs.cells().stream()
                .map(p -> pairing.cell(p[0], p[1], f.set(), true)).toList();
        PairedBootstrap pooled = PairedBootstrap.of(cells);
        List<String> tiers = pooled.strata().stream().filter(t -> !Evaluator.UNKNOWN_TIER.equals(t))
                .sorted(Evaluator.TIER_ORDER).toList();
        String subject = f.variant() + " vs " + f.reference() + " on " + f.set();
        if (tiers.size() <= f.hardestTiers()) {
            return new Verdict(number, PLATEAU, Verdict.INCONCLUSIVE, subject + " has " + tiers.size()
                    + " difficulty tier(s); the finding needs more than hardest-tiers = " + f.hardestTiers(), null);
        }
        List<PairedDifference> gains = tiers.stream().map(t -> pooled.difference(List.of(t))).toList();
        List<String> hardest = tiers.subList(tiers.size() - f.hardestTiers(), tiers.size());
        int largest = 0;
        for (int i = 1; i < tiers.size(); i++) {
            if (gains.get(i).difference() > gains.get(largest).difference()) {
                largest = i;
            }
        }
        String largestTier = tiers.get(largest);
        Map<String, Proportion> accuracy = Comparison.pooledTiers(pairs.cells().stream()
                .map(p -> p[0].evaluations().get(f.set())).toList());
        StringBuilder perTier = new StringBuilder("; per tier gain (" + f.variant() + " accuracy):");
        for (int i = 0; i < tiers.size(); i++) {
            Proportion p = accuracy.get(tiers.get(i));
            perTier.append(i == 0 ? " " : ", ").append("tier ").append(tiers.get(i)).append(' ')
                    .append(points(gains.get(i))).append(p == null ? "" : String.format(Locale.ROOT, " (%.1f%%)",
                            100 * p.value()));
        }
        String hardestName = (hardest.size() == 1 ? "tier " : "tiers ") + String.join(", ", hardest);
        PairedDifference hardestGain = pooled.difference(hardest);
        Verdict.TierGains plot = new Verdict.TierGains(f.set(), f.variant(), f.reference(), tiers, gains);
        if (gains.get(largest).low() <= 0) {
            // gains cannot shrink from a gain that may be none: the training did not move any tier for sure
            return new Verdict(number, PLATEAU, Verdict.INCONCLUSIVE, subject + ": no tier gained for sure (the"
                    + " largest gain, on tier " + largestTier + ", is " + points(gains.get(largest)) + " points "
                    + method(cells.size()) + "), so there is no gain to shrink" + missingNote(pairs) + perTier, plot);
        }
        if (hardest.contains(largestTier)) {
            return new Verdict(number, PLATEAU, Verdict.NOT_REPRODUCED, subject + ": the largest gain is on the"
                    + " hardest " + hardestName + ", " + points(hardestGain) + " points " + method(cells.size())
                    + perTier, plot);
        }
        PairedDifference contrast = pooled.contrast(List.of(largestTier), hardest);
        StringBuilder perCell = new StringBuilder();
        if (cells.size() > 1) {
            perCell.append("; per grid cell (largest - hardest):");
            for (int i = 0; i < cells.size(); i++) {
                perCell.append(i == 0 ? " " : ", ").append(cellName(pairs.cells().get(i)[0])).append(' ')
                        .append(points(PairedBootstrap.of(List.of(cells.get(i))).contrast(List.of(largestTier),
                                hardest)));
            }
        }
        return new Verdict(number, PLATEAU, outcome(contrast, 0), subject + ": gain on the hardest " + hardestName
                + " " + points(hardestGain) + " vs the largest, on tier " + largestTier + ", "
                + points(gains.get(largest)) + ": difference " + points(contrast) + " points " + method(cells.size())
                + missingNote(pairs) + perTier + perCell, plot);
    }

    private Verdict nonInferior(Findings.NonInferior f) {
        int number = 2;
        Pairs pairs = pairs(f.set(), f.variant(), f.reference());
        if (pairs.cells().isEmpty()) {
            return notEvaluated(number, NON_INFERIOR, f.set(), pairs);
        }
        Overall d = overall(pairs, f.set());
        String outcome = outcome(d.pooled(), -f.margin());
        String against = Verdict.REPRODUCED.equals(outcome) ? "its lower end is above it"
                : Verdict.INCONCLUSIVE.equals(outcome) ? "the interval reaches below it" : "the estimate is not above it";
        double variantSteps = pairs.cells().stream().mapToInt(p -> p[0].ownSteps()).average().orElse(0);
        double referenceSteps = pairs.cells().stream().mapToInt(p -> p[1].ownSteps()).average().orElse(0);
        String share = referenceSteps > 0 ? String.format(Locale.ROOT, "with %.0f%% of the steps (%s / %s own"
                + " training steps)", 100 * variantSteps / referenceSteps, steps(variantSteps), steps(referenceSteps))
                : "share of steps unknown (" + f.reference() + " trained no steps of its own)";
        String gained = "";
        if (f.baseline() != null) {
            Pairs base = pairs(f.set(), f.reference(), f.baseline());
            if (base.cells().isEmpty()) {
                gained = "; " + f.reference() + " vs " + f.baseline() + " not evaluated yet";
                outcome = Verdict.INCONCLUSIVE;
            } else {
                PairedDifference gain = overall(base, f.set()).pooled();
                gained = "; " + f.reference() + " - " + f.baseline() + " " + points(gain) + " points";
                if (gain.low() <= 0 && !Verdict.NOT_REPRODUCED.equals(outcome)) {
                    outcome = Verdict.INCONCLUSIVE;
                    gained += ": " + f.reference() + " gained nothing sure over " + f.baseline()
                            + ", so matching it shows nothing";
                }
            }
        }
        return new Verdict(number, NON_INFERIOR, outcome, f.variant() + " - " + f.reference() + " on " + f.set() + " "
                + points(d.pooled()) + " points " + method(pairs.cells().size())
                + String.format(Locale.ROOT, ", margin %.1f points: ", -100 * f.margin()) + against + "; " + share
                + gained + missingNote(pairs) + d.perCell(), null);
    }

    private Verdict crossDataset(Findings.CrossDataset f) {
        int number = 3;
        Pairs pairs = pairs(f.set(), f.variant(), f.reference());
        if (pairs.cells().isEmpty()) {
            return notEvaluated(number, CROSS_DATASET, f.set(), pairs);
        }
        Overall d = overall(pairs, f.set());
        String outcome = outcome(d.pooled(), 0);
        if (Verdict.INCONCLUSIVE.equals(outcome)) {
            outcome = Verdict.INCONCLUSIVE + ": direction matches";
        }
        return new Verdict(number, CROSS_DATASET, outcome, f.variant() + " - " + f.reference() + " on " + f.set()
                + " " + points(d.pooled()) + " points " + method(pairs.cells().size()) + missingNote(pairs)
                + d.perCell(), null);
    }

    /** The pooled overall difference and the per-cell ones, formatted. */
    private record Overall(PairedDifference pooled, String perCell) {
    }

    private Overall overall(Pairs pairs, String set) {
        List<PairedBootstrap.Cell> cells = pairs.cells().stream()
                .map(p -> pairing.cell(p[0], p[1], set, false)).toList();
        PairedDifference pooled = PairedBootstrap.of(cells).difference(List.of(Pairing.ALL));
        StringBuilder perCell = new StringBuilder();
        if (cells.size() > 1) {
            perCell.append("; per grid cell:");
            for (int i = 0; i < cells.size(); i++) {
                perCell.append(i == 0 ? " " : ", ").append(cellName(pairs.cells().get(i)[0])).append(' ')
                        .append(points(PairedBootstrap.of(List.of(cells.get(i))).difference(List.of(Pairing.ALL))));
            }
        }
        return new Overall(pooled, perCell.toString());
    }

    /** Reproduced when the interval is above {@code bound}, inconclusive when only the estimate is. */
    static String outcome(PairedDifference d, double bound) {
        if (d.low() > bound) {
            return Verdict.REPRODUCED;
        }
        return d.difference() > bound ? Verdict.INCONCLUSIVE : Verdict.NOT_REPRODUCED;
    }

    /** A difference in points with its interval: {@code +19.5 [+12.3, +26.1]}. */
    static String points(PairedDifference d) {
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * d.difference(), 100 * d.low(), 100 * d.high());
    }

    static String method(int cells) {
        return cells == 1 ? "(paired bootstrap 95%)" : "(paired bootstrap over problems and " + cells
                + " grid cells, 95%)";
    }

    private static String missingNote(Pairs pairs) {
        return pairs.missing().isEmpty() ? "" : " (not evaluated yet, left out: " + String.join(", ", pairs.missing())
                + ")";
    }

    private static String cellName(VariantOutcome o) {
        return SweepFile.cellName("", o.variant().grid(), true);
    }

    private static String steps(double mean) {
        return mean == Math.rint(mean) ? Long.toString((long) mean) : String.format(Locale.ROOT, "%.1f", mean);
    }
}
