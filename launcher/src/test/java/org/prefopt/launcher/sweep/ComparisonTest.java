package org.prefopt.launcher.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.evaluation.EvalSummaryReader;

/** The comparison's paired differences and finding verdicts, on run directories written by {@link EvalFixtures}. */
class ComparisonTest {

    @TempDir
    Path tmp;

    static final String FINDINGS = """
            findings {
              plateau       { set = heldout, variant = grpo-all, reference = base }
              non-inferior  { set = heldout, variant = grpo-easy-only, reference = grpo-all, margin = 0.03 }
              cross-dataset { set = math-numeric, variant = grpo-all, reference = grpo-math }
            }
            """;

    SweepSpec spec(String grid) {
        return spec(grid, FINDINGS);
    }

    SweepSpec spec(String grid, String findings) {
        String text = "run { seed = 1, output-dir = \"" + tmp.resolve("out") + "\" }\nalgorithm { type = grpo }\n"
                + "eval { sets = [ { name = heldout }, { name = math-numeric } ] }\n"
                + "sweep { name = s, compare-to = base, variants = [ { name = base },"
                + " { name = grpo-all, fork-from = base }, { name = grpo-easy-only, fork-from = base },"
                + " { name = grpo-math, fork-from = base } ]\n" + grid + findings + "}";
        return SweepFile.parse(RunConfigLoader.parse(text, "s.conf", List.of()), "s", "s.conf");
    }

    /** Five tiers of 40 problems, {@code solved[t]} of tier t+1 solved (the first ones). */
    static Map<String, String> tiers(int... solved) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int t = 0; t < solved.length; t++) {
            out.put(Integer.toString(t + 1), EvalFixtures.solved(solved[t], 40));
        }
        return out;
    }

    /** Writes every variant's evaluations (by group) and reads the sweep back as the launcher does. */
    Comparison comparison(SweepSpec spec, Map<String, Map<String, String>> heldout,
                          Map<String, Map<String, String>> mathNumeric, Map<String, Integer> ownSteps) {
        List<VariantOutcome> outcomes = new ArrayList<>();
        for (Variant v : spec.variants()) {
            Path dir = SweepRunner.runDirectory(spec, v);
            int fork = v.forkFrom() == null ? 0 : 100;
            int steps = fork + ownSteps.getOrDefault(v.group(), 100);
            EvalFixtures.write(dir, "heldout", steps, heldout.get(v.group()));
            if (mathNumeric.containsKey(v.group())) {
                EvalFixtures.write(dir, "math-numeric", steps, mathNumeric.get(v.group()));
            }
            outcomes.add(new VariantOutcome(v, new VariantState(VariantState.DONE, 1, 10, 0), steps, fork,
                    EvalSummaryReader.latest(dir)));
        }
        return new Comparison(spec, outcomes);
    }

    static Map<String, String> math(int solved) {
        return Map.of("1", EvalFixtures.solved(solved, 100));
    }

    /** {@code pattern} with the solved/unsolved state of the given positions flipped. */
    static String flip(String pattern, int... positions) {
        char[] c = pattern.toCharArray();
        for (int p : positions) {
            c[p] = c[p] == '1' ? '0' : '1';
        }
        return new String(c);
    }

    @Test
    void findingsReproducedGiveOneVerdictLineEachWithTheirNumbers() throws Exception {
        SweepSpec spec = spec("");
        Map<String, String> all = tiers(36, 30, 15, 4, 0);
        Map<String, String> easy = new LinkedHashMap<>(all);
        // two problems each way differ from grpo-all: the same accuracy, not the same answers
        easy.put("1", flip(all.get("1"), 0, 36));
        easy.put("2", flip(all.get("2"), 0, 30));
        Comparison c = comparison(spec,
                Map.of("base", tiers(20, 10, 5, 0, 0), "grpo-all", all, "grpo-easy-only", easy,
                        "grpo-math", tiers(20, 10, 5, 0, 0)),
                Map.of("grpo-all", math(33), "grpo-math", math(30)),
                Map.of("grpo-all", 1000, "grpo-easy-only", 450));
        List<String> lines = c.verdicts().stream().map(Verdict::line).toList();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("Finding 1 (accuracy plateaus as difficulty rises): reproduced: grpo-all vs base on heldout: gain"
                + " on the hardest tier 5 +0.0 [+0.0, +0.0] vs the largest, on tier 2, +50.0 [+35.0, +65.0]:"
                + " difference +50.0 [+35.0, +65.0] points (paired bootstrap 95%); per tier gain (grpo-all accuracy):"
                + " tier 1 +40.0 [+25.0, +55.0] (90.0%), tier 2 +50.0 [+35.0, +65.0] (75.0%), tier 3 +25.0 [+12.5,"
                + " +40.0] (37.5%), tier 4 +10.0 [+2.5, +20.0] (10.0%), tier 5 +0.0 [+0.0, +0.0] (0.0%)", lines.get(0));
        assertTrue(lines.get(1).startsWith("Finding 2 (easy-only training is non-inferior with fewer steps):"
                + " reproduced: grpo-easy-only - grpo-all on heldout +0.0 ["), lines.get(1));
        assertTrue(lines.get(1).endsWith("points (paired bootstrap 95%), margin -3.0 points: its lower end is above"
                + " it; with 45% of the steps (450 / 1000 own training steps)"), lines.get(1));
        assertEquals("Finding 3 (training on another dataset carries over): inconclusive: direction matches: grpo-all"
                + " - grpo-math on math-numeric +3.0 [+0.0, +7.0] points (paired bootstrap 95%)", lines.get(2));

        String md = c.markdown();
        assertTrue(md.startsWith("# Sweep s\n\n" + lines.get(0) + "\n\n" + lines.get(1) + "\n\n" + lines.get(2)
                + "\n\n"), md);
        assertTrue(md.contains("| variant | steps | wall time | overall | tier 1 | tier 2 | tier 3 | tier 4 | tier 5"
                + " | sampled mean@k | Δ overall vs base (paired bootstrap 95%) |"), md);
        assertTrue(md.contains("paired bootstrap over problems (10,000 resamples, fixed seed)"), md);
        assertTrue(md.contains("Finding 2 (non-inferior): variant − reference; reproduced when the interval's lower"
                + " end is above −margin"), md);
        // grpo-math scores exactly what base scores on heldout, problem by problem
        assertTrue(md.contains("| +0.0 [+0.0, +0.0] |"), md);

        Path html = ComparisonReport.write(c, spec);
        String page = Files.readString(html);
        for (String line : lines) {
            assertTrue(page.contains(line.replace("&", "&amp;")), line);
        }
        assertTrue(page.indexOf("Finding 1 (") < page.indexOf("eval set heldout"), "verdicts first");
        assertTrue(Files.size(spec.directory().resolve("comparison-finding-1-gain.png")) > 0);
        assertTrue(page.contains("comparison-finding-1-gain.png"), page);
    }

    @Test
    void matchingAReferenceThatGainedNothingOverTheBaselineIsInconclusive() {
        SweepSpec spec = spec("", "findings { non-inferior { set = heldout, variant = grpo-easy-only,"
                + " reference = grpo-all, margin = 0.03, baseline = base } }\n");
        Map<String, String> same = tiers(20, 10, 5, 0, 0);
        Comparison c = comparison(spec, Map.of("base", same, "grpo-all", same, "grpo-easy-only", same, "grpo-math",
                same), Map.of(), Map.of("grpo-all", 1000, "grpo-easy-only", 450));
        String line = c.verdicts().get(0).line();
        assertEquals("Finding 2 (easy-only training is non-inferior with fewer steps): inconclusive: grpo-easy-only -"
                + " grpo-all on heldout +0.0 [+0.0, +0.0] points (paired bootstrap 95%), margin -3.0 points: its lower"
                + " end is above it; with 45% of the steps (450 / 1000 own training steps); grpo-all - base +0.0"
                + " [+0.0, +0.0] points: grpo-all gained nothing sure over base, so matching it shows nothing", line);
        Map<String, String> better = tiers(30, 15, 5, 0, 0);
        Comparison gained = comparison(spec, Map.of("base", same, "grpo-all", better, "grpo-easy-only", better,
                "grpo-math", same), Map.of(), Map.of("grpo-all", 1000, "grpo-easy-only", 450));
        assertTrue(gained.verdicts().get(0).line().startsWith("Finding 2 (easy-only training is non-inferior with"
                + " fewer steps): reproduced:"), gained.verdicts().get(0).line());
    }

    @Test
    void aPlateauNeedsATierThatGainedForSure() {
        SweepSpec spec = spec("", "findings { plateau { set = heldout, variant = grpo-all, reference = base } }\n");
        Map<String, String> same = tiers(20, 10, 5, 0, 0);
        Comparison c = comparison(spec, Map.of("base", same, "grpo-all", same, "grpo-easy-only", same, "grpo-math",
                same), Map.of(), Map.of());
        assertEquals("Finding 1 (accuracy plateaus as difficulty rises): inconclusive: grpo-all vs base on heldout: no"
                + " tier gained for sure (the largest gain, on tier 1, is +0.0 [+0.0, +0.0] points (paired bootstrap"
                + " 95%)), so there is no gain to shrink; per tier gain (grpo-all accuracy): tier 1 +0.0 [+0.0, +0.0]"
                + " (50.0%), tier 2 +0.0 [+0.0, +0.0] (25.0%), tier 3 +0.0 [+0.0, +0.0] (12.5%), tier 4 +0.0 [+0.0,"
                + " +0.0] (0.0%), tier 5 +0.0 [+0.0, +0.0] (0.0%)", c.verdicts().get(0).line());
    }

    @Test
    void findingsNotReproducedPoolOverTheGridAndShowEachCell() {
        SweepSpec spec = spec("grid { run.seed = [1, 2] }\n");
        Map<String, String> all = tiers(22, 11, 5, 1, 20);
        Map<String, String> easy = new LinkedHashMap<>(all);
        easy.put("5", EvalFixtures.solved(10, 40));
        Comparison c = comparison(spec,
                Map.of("base", tiers(20, 10, 5, 0, 0), "grpo-all", all, "grpo-easy-only", easy,
                        "grpo-math", tiers(20, 10, 5, 0, 0)),
                Map.of("grpo-all", math(30), "grpo-math", math(33)),
                Map.of("grpo-all", 1000, "grpo-easy-only", 450));
        List<String> lines = c.verdicts().stream().map(Verdict::line).toList();
        assertEquals("Finding 1 (accuracy plateaus as difficulty rises): not reproduced: grpo-all vs base on heldout:"
                + " the largest gain is on the hardest tier 5, +50.0 [+38.8, +61.3] points (paired bootstrap over"
                + " problems and 2 grid cells, 95%); per tier gain (grpo-all accuracy): tier 1 +5.0 [+1.3, +10.0]"
                + " (55.0%), tier 2 +2.5 [+0.0, +6.3] (27.5%), tier 3 +0.0 [+0.0, +0.0] (12.5%), tier 4 +2.5 [+0.0,"
                + " +6.3] (2.5%), tier 5 +50.0 [+38.8, +61.3] (50.0%)", lines.get(0));
        assertTrue(lines.get(1).startsWith("Finding 2 (easy-only training is non-inferior with fewer steps): not"
                + " reproduced: grpo-easy-only - grpo-all on heldout -5.0 ["), lines.get(1));
        assertTrue(lines.get(1).contains("points (paired bootstrap over problems and 2 grid cells, 95%), margin -3.0"
                + " points: the estimate is not above it; with 45% of the steps (450 / 1000 own training steps);"
                + " per grid cell: seed-1 -5.0 ["), lines.get(1));
        assertTrue(lines.get(1).contains("], seed-2 -5.0 ["), lines.get(1));
        assertTrue(lines.get(2).startsWith("Finding 3 (training on another dataset carries over): not reproduced:"
                + " grpo-all - grpo-math on math-numeric -3.0 ["), lines.get(2));
        String md = c.markdown();
        assertTrue(md.contains("| grpo-all (pooled over 2 of 2 runs) |"), md);
    }

    @Test
    void problemsOnlyOneRunWasEvaluatedOnAreRefusedNamingBothRuns() {
        SweepSpec spec = spec("");
        Map<String, String> shorter = new LinkedHashMap<>(tiers(20, 10, 5, 0, 0));
        shorter.put("5", EvalFixtures.solved(0, 39));
        Comparison c = comparison(spec,
                Map.of("base", tiers(20, 10, 5, 0, 0), "grpo-all", shorter, "grpo-easy-only", tiers(1, 1, 1, 1, 1),
                        "grpo-math", tiers(1, 1, 1, 1, 1)),
                Map.of(), Map.of());
        Function<String, Path> dir = name -> spec.directory().resolve(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.rows("heldout"));
        assertEquals("cannot pair " + dir.apply("grpo-all") + " and " + dir.apply("base") + " on eval set 'heldout':"
                + " 0 problem(s) only in the first and 1 only in the second (e.g. [5-39]); a paired comparison needs"
                + " both evaluated on the same problems (give both variants the same eval set, then run prefopt eval"
                + " on their last checkpoints)", e.getMessage());
    }

    @Test
    void aFindingWhoseRunsHaveNotEvaluatedYetIsInconclusive() {
        SweepSpec spec = spec("");
        Comparison c = comparison(spec, Map.of("base", tiers(1), "grpo-all", tiers(2), "grpo-easy-only", tiers(2),
                "grpo-math", tiers(1)), Map.of("grpo-all", math(3)), Map.of());
        assertEquals("Finding 3 (training on another dataset carries over): inconclusive: no greedy evaluation of"
                + " math-numeric to compare yet (missing: grpo-math)", c.verdicts().get(2).line());
        assertEquals("Finding 1 (accuracy plateaus as difficulty rises): inconclusive: grpo-all vs base on heldout"
                + " has 1 difficulty tier(s); the finding needs more than hardest-tiers = 1", c.verdicts().get(0).line());
    }
}
