package org.prefopt.launcher.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.RunConfigLoader;

class SweepFileTest {

    static final String BASE = """
            run { name = x, seed = 1, output-dir = out }
            algorithm { type = grpo, group-size = 4 }
            stages = [ { name = warm, steps = 3 } ]
            """;

    static SweepSpec parse(String sweep) {
        return SweepFile.parse(RunConfigLoader.parse(BASE + sweep, "study.conf", List.of()), "study", "study.conf");
    }

    @Test
    void variantsTimesGridWithForksInTheSameCell() {
        SweepSpec s = parse("""
                sweep {
                  defs { warm = { name = warm, steps = 3 } }
                  variants = [
                    { name = base }
                    { name = easy, fork-from = base, set { algorithm.group-size = 8,
                                                          stages = [ ${sweep.defs.warm}, { name = rl, steps = 2 } ] } }
                  ]
                  grid { run.seed = [1, 2] }
                }
                """);
        assertEquals("study", s.name());
        assertEquals(Path.of("out", "study"), s.directory());
        assertEquals("base", s.compareTo());
        assertEquals(List.of("base_seed-1", "base_seed-2", "easy_seed-1", "easy_seed-2"),
                s.variants().stream().map(Variant::name).toList());
        Variant easy2 = s.variants().get(3);
        assertEquals(2, easy2.config().getInt("run.seed"));
        assertEquals(8, easy2.config().getInt("algorithm.group-size"));
        assertEquals(2, easy2.config().getConfigList("stages").size());
        assertEquals("study-easy_seed-2", easy2.config().getString("run.name"));
        assertEquals(Map.of("run.seed", "2"), easy2.grid());
        assertEquals("base_seed-2", SweepRunner.forkSource(s, easy2).name());
        assertNull(SweepRunner.forkSource(s, s.variants().get(0)));
        assertEquals(4, s.variants().get(0).config().getInt("algorithm.group-size"), "base keeps the base value");
        assertTrue(!s.variants().get(0).config().hasPath("sweep"), "the sweep section is not part of a run");
    }

    @Test
    void aGridAloneNamesRunsByItsValues() {
        SweepSpec s = parse("sweep { name = seeds, grid { run.seed = [7, 8], algorithm.type = [grpo, dpo] } }");
        assertEquals(List.of("type-grpo_seed-7", "type-grpo_seed-8", "type-dpo_seed-7", "type-dpo_seed-8"),
                s.variants().stream().map(Variant::name).toList());
        assertEquals("dpo", s.variants().get(3).config().getString("algorithm.type"));
    }

    @Test
    void mistakesAreReportedTogetherWithTheirLines() {
        ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> parse("""
                sweep {
                  paralel = 2
                  compare-to = nobody
                  variants = [
                    { name = a, sett { x = 1 } }
                    { name = b, fork-from = c }
                    { name = a }
                  ]
                }
                """));
        String m = e.getMessage();
        assertTrue(m.contains("study.conf:5: sweep.paralel: unknown sweep option 'paralel'"), m);
        assertTrue(m.contains("sweep.variants.0.sett: unknown variant option 'sett'"), m);
        assertTrue(m.contains("two variants are named 'a'"), m);
        assertTrue(m.contains("variant 'b' forks from 'c', which is not a variant of this sweep"), m);
        assertTrue(m.contains("sweep.compare-to: 'nobody' is not a variant of this sweep"), m);
    }

    @Test
    void cyclesAndMissingSectionsAreRefused() {
        assertTrue(assertThrows(ConfigProblemsException.class, () -> parse("")).getMessage()
                .contains("a sweep file is a run file plus a sweep"));
        assertTrue(assertThrows(ConfigProblemsException.class, () -> parse("""
                sweep { variants = [ { name = a, fork-from = b }, { name = b, fork-from = a } ] }
                """)).getMessage().contains("forks in a cycle"));
        assertTrue(assertThrows(ConfigProblemsException.class, () -> parse("sweep { grid { run.seed = 3 } }"))
                .getMessage().contains("sweep.grid.run.seed: must be a non-empty list of values"));
    }

    static final String STUDY = """
            eval { sets = [ { name = heldout } ] }
            sweep {
              variants = [
                { name = base }
                { name = all, fork-from = base }
                { name = easy, fork-from = base, set { eval.sets = [ { name = heldout }, { name = numeric } ] } }
              ]
            """;

    @Test
    void findingsNameVariantsAndSetsOfTheSweep() {
        SweepSpec s = parse(STUDY + """
                  findings {
                    plateau { set = heldout, variant = all, reference = base, hardest-tiers = 2 }
                    non-inferior { set = heldout, variant = easy, reference = all, margin = 0.03 }
                  }
                }
                """);
        assertEquals(new Findings(new Findings.Plateau("heldout", "all", "base", 2),
                new Findings.NonInferior("heldout", "easy", "all", 0.03), null), s.findings());
        assertEquals(Findings.NONE, parse(STUDY + "}").findings());
    }

    @Test
    void findingMistakesAreReportedWithTheirLines() {
        ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> parse(STUDY + """
                  findings {
                    plateau { set = heldout, variant = al, reference = base, tiers = 2 }
                    non-inferior { set = heldout, variant = easy, reference = all }
                    cross-dataset { set = numeric, variant = easy, reference = all }
                    cross-dataset-2 { }
                  }
                }
                """));
        String m = e.getMessage();
        assertTrue(m.contains("study.conf:12: sweep.findings.plateau.variant: 'al' is not a variant of this sweep"
                + " [all, base, easy]"), m);
        assertTrue(m.contains("study.conf:12: sweep.findings.plateau.tiers: unknown key 'tiers' of finding 'plateau';"
                + " the keys are [hardest-tiers, reference, set, variant]"), m);
        assertTrue(m.contains("study.conf:13: sweep.findings.non-inferior.margin: a non-inferiority claim needs its"
                + " margin, as a fraction: margin = 0.03 for 3 points"), m);
        assertTrue(m.contains("study.conf:14: sweep.findings.cross-dataset.set: variant 'all' has no eval set"
                + " 'numeric' (its eval.sets are [heldout])"), m);
        assertTrue(m.contains("study.conf:15: sweep.findings.cross-dataset-2: unknown finding 'cross-dataset-2'; the"
                + " findings are [cross-dataset, non-inferior, plateau]"), m);
    }
}
