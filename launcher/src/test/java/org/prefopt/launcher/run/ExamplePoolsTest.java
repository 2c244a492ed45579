package org.prefopt.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;

class ExamplePoolsTest {

    private static Example ex(String id, String prompt) {
        return new Example(id, prompt, "1", null, 1, null, "test", Map.of());
    }

    @Test
    void overlapIsCountedOnNormalisedPrompts() {
        List<Example> train = List.of(ex("t1", "What is 2 + 2?"), ex("t2", "What is 3 + 3?"));
        List<Example> eval = List.of(ex("e1", "  what IS 2 +  2?\n"), ex("e2", "What is 2 + 3?"),
                ex("e3", "What is 3 + 3?"));
        assertEquals(2, ExamplePools.reportOverlap("eval set dev", eval, "training", train));
        assertEquals(0, ExamplePools.reportOverlap("eval set dev", List.of(ex("e2", "What is 2 + 3?")), "training",
                train));
    }
}
