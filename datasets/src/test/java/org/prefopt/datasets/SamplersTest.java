package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptOutcome;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.datasets.sampler.CurriculumSampler;
import org.prefopt.datasets.sampler.PassRateSampler;
import org.prefopt.datasets.sampler.UniformSampler;

class SamplersTest {

    private static final List<Example> POOL = IntStream.range(0, 37)
            .mapToObj(i -> Fixtures.example("e" + i, "prompt " + i, Integer.toString(i), 1 + i % 5, null)).toList();

    private static List<String> ids(List<Example> ex) {
        return ex.stream().map(Example::id).toList();
    }

    /** Deterministic fake training feedback: prompts with id divisible by 3 are always solved, by 5 never. */
    private static List<PromptOutcome> feedback(List<Example> batch) {
        List<PromptOutcome> out = new ArrayList<>();
        for (Example e : batch) {
            int i = Integer.parseInt(e.id().substring(1));
            double[] r = i % 3 == 0 ? new double[] {1, 1, 1, 1} : i % 5 == 0 ? new double[] {0, 0, 0, 0}
                    : new double[] {1, 0, 1, 0};
            out.add(new PromptOutcome(e, r));
        }
        return out;
    }

    private static List<List<String>> draw(PromptSampler s, int batches, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Example> batch = s.next(size);
            out.add(ids(batch));
            s.observe(feedback(batch));
        }
        return out;
    }

    private static void assertResumesExactly(Supplier<PromptSampler> fresh) {
        PromptSampler straight = fresh.get();
        straight.initialize(POOL, 42);
        List<List<String>> expected = draw(straight, 25, 6);

        PromptSampler first = fresh.get();
        first.initialize(POOL, 42);
        List<List<String>> got = new ArrayList<>(draw(first, 11, 6));
        byte[] state = first.saveState();
        PromptSampler resumed = fresh.get();
        resumed.initialize(POOL, 42);
        resumed.restoreState(state);
        got.addAll(draw(resumed, 14, 6));
        assertEquals(expected, got);

        // Restoring into a sampler initialised with another seed still continues the saved sequence.
        PromptSampler other = fresh.get();
        other.initialize(POOL, 7);
        other.restoreState(state);
        assertEquals(expected.subList(11, 25), draw(other, 14, 6));
    }

    @Test
    void uniformResumesExactly() {
        assertResumesExactly(UniformSampler::new);
    }

    @Test
    void curriculumResumesExactly() {
        assertResumesExactly(() -> new CurriculumSampler(20, 0.2, CurriculumSampler.Schedule.ROOT));
    }

    @Test
    void passRateResumesExactly() {
        assertResumesExactly(() -> new PassRateSampler(1.0, 1.0, 0.0, 2, 3));
    }

    @Test
    void stateFromAnotherPoolOrSamplerIsRejected() {
        UniformSampler u = new UniformSampler();
        u.initialize(POOL, 1);
        byte[] state = u.saveState();
        UniformSampler smaller = new UniformSampler();
        smaller.initialize(POOL.subList(0, 10), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smaller.restoreState(state));
        assertTrue(e.getMessage().contains("different prompt pool"), e.getMessage());
        PassRateSampler p = new PassRateSampler(1, 1, 0, 1, 1);
        p.initialize(POOL, 1);
        e = assertThrows(IllegalArgumentException.class, () -> p.restoreState(state));
        assertTrue(e.getMessage().contains("'uniform'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new UniformSampler().next(1));
    }

    @Test
    void uniformVisitsEveryPromptOncePerEpochInFreshOrders() {
        UniformSampler s = new UniformSampler();
        s.initialize(POOL, 3);
        List<String> epoch1 = ids(s.next(37));
        List<String> epoch2 = ids(s.next(37));
        assertEquals(37, new HashSet<>(epoch1).size());
        assertEquals(new HashSet<>(epoch1), new HashSet<>(epoch2));
        assertNotEquals(epoch1, epoch2);
        assertNotEquals(ids(POOL), epoch1, "shuffled");
        UniformSampler again = new UniformSampler();
        again.initialize(POOL, 3);
        assertEquals(epoch1, ids(again.next(37)), "same seed, same order");
    }

    @Test
    void curriculumStartsEasyAndOpensUp() {
        CurriculumSampler s = new CurriculumSampler(10, 0.2, CurriculumSampler.Schedule.LINEAR);
        s.initialize(POOL, 5);
        // Step 0: the easiest ceil(0.2 * 37) = 8 examples: all of difficulty 1 (there are 8).
        List<Example> first = s.next(4);
        assertTrue(first.stream().allMatch(e -> e.difficulty() == 1), ids(first).toString());
        assertEquals(4, new HashSet<>(ids(first)).size(), "no repeats within a step");
        assertEquals(0.2, s.competence(0), 1e-12);
        assertEquals(0.6, s.competence(5), 1e-12);
        assertEquals(1.0, s.competence(10), 1e-12);
        assertEquals(1.0, s.competence(99), 1e-12);
        int maxSeen = 0;
        for (int t = 1; t < 30; t++) {
            for (Example e : s.next(4)) {
                assertTrue(e.difficulty() <= maxAllowed(s, t), "step " + t + " drew " + e);
                maxSeen = Math.max(maxSeen, e.difficulty());
            }
        }
        assertEquals(5, maxSeen, "the hardest tier is reached");
    }

    /** The largest difficulty among the easiest {@code available} examples of POOL. */
    private static int maxAllowed(CurriculumSampler s, int t) {
        int open = s.available(t, 4);
        return POOL.stream().mapToInt(Example::difficulty).sorted().toArray()[open - 1];
    }

    @Test
    void passRateSkipsSolvedAndUnsolvedPrompts() {
        PassRateSampler s = new PassRateSampler(1.0, 1.0, 0.0, 1, 1000);
        s.initialize(POOL, 9);
        draw(s, 10, 37 / 5 + 1); // observe at least most prompts once
        Set<String> seenAfter = new HashSet<>();
        long skippedBefore = s.skippedTotal();
        for (int b = 0; b < 5; b++) {
            List<Example> batch = s.next(4);
            for (Example e : batch) {
                int i = Integer.parseInt(e.id().substring(1));
                assertTrue(!s.skippable(e), "drew a skippable prompt " + e.id());
                assertTrue(i % 3 != 0 && i % 5 != 0, "drew " + e.id());
                seenAfter.add(e.id());
            }
        }
        assertTrue(s.skippedTotal() > skippedBefore, "something was skipped");
        assertTrue(seenAfter.size() > 5);
    }

    @Test
    void passRateNeverStarves() {
        PassRateSampler s = new PassRateSampler(1.0, 1.0, 0.0, 1, 1000);
        List<Example> solved = POOL.subList(0, 5);
        s.initialize(solved, 1);
        List<PromptOutcome> all = solved.stream().map(e -> new PromptOutcome(e, new double[] {1, 1})).toList();
        s.observe(all);
        List<Example> batch = s.next(3);
        assertEquals(3, batch.size(), "a fully solved pool still yields a batch");
        assertEquals(2, s.skippedLastCall(), "5 passed over, then 3 of them taken back to fill the batch");
    }

    @Test
    void passRateRetriesAfterMaxConsecutiveSkips() {
        PassRateSampler s = new PassRateSampler(1.0, 1.0, 0.0, 1, 2);
        List<Example> ten = POOL.subList(0, 10);
        s.initialize(ten, 1);
        Example solved = ten.get(4);
        s.observe(List.of(new PromptOutcome(solved, new double[] {1, 1})));
        int drawn = 0;
        for (int i = 0; i < 200; i++) {
            if (s.next(1).get(0).equals(solved)) {
                drawn++;
            }
        }
        // Each time it comes up it is passed over twice, then drawn on the third time: skip, skip, draw, ...
        long skipped = s.skippedTotal();
        assertTrue(drawn >= 5, "drawn " + drawn);
        assertTrue(skipped >= 2L * drawn && skipped <= 2L * drawn + 2, "skipped " + skipped + ", drawn " + drawn);
    }
}
