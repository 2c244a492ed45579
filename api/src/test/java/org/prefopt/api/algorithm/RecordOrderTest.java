package org.prefopt.api.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.CompletionGroup;

/**
 * Records that copy a map keep its order: metrics lines, reward columns and example attributes are written from
 * them, and Map.copyOf's iteration order changes from one JVM to the next (a report once differed between runs).
 */
class RecordOrderTest {

    /** Sixteen keys in an order no hash would give by chance. */
    static <V> Map<String, V> ordered(V value) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 15; i >= 0; i--) {
            m.put("key-" + (char) ('a' + (i * 7) % 16), value);
        }
        return m;
    }

    static List<String> keys(Map<String, ?> m) {
        return new ArrayList<>(m.keySet());
    }

    @Test
    void stepMetricsExampleAttributesAndRewardColumnsKeepTheirOrder() {
        Map<String, Double> metrics = ordered(1.0);
        assertEquals(keys(metrics), keys(new StepResult(metrics, 1, StepResult.Update.APPLIED).metrics()));
        Map<String, String> attributes = ordered("v");
        assertEquals(keys(attributes),
                keys(new Example("1", "q", "a", null, 1, null, "f:1", attributes).attributes()));
        Example example = new Example("1", "q", "a", null, 1, null, "f:1", null);
        Map<String, double[]> byReward = ordered(new double[0]);
        assertEquals(keys(byReward), keys(new ScoredGroup(example, new CompletionGroup("r", new int[0], List.of()),
                new double[0], byReward).byReward()));
    }
}
