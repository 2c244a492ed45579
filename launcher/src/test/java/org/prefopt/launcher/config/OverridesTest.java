package org.prefopt.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverridesTest {

    private static Config apply(String text, String... overrides) {
        return RunConfigLoader.parse(text, "run.conf", List.of(overrides));
    }

    @Test
    void valuesAreHoconWithPlainStringFallback() {
        Config c = apply("a { b = 1 }", "a.b=16", "a.list=[x, y]", "a.obj={ type = grpo }", "a.flag=true",
                "a.text=Q: {question}", "a.empty=");
        assertEquals(16, c.getInt("a.b"));
        assertEquals(List.of("x", "y"), c.getStringList("a.list"));
        assertEquals("grpo", c.getString("a.obj.type"));
        assertEquals(true, c.getBoolean("a.flag"));
        assertEquals("Q: {question}", c.getString("a.text"));
        assertEquals("", c.getString("a.empty"));
    }

    @Test
    void numericSegmentsIndexListsAndAppend() {
        Config c = apply("reward = [ { type = a, weight = 1 }, { type = b } ]", "reward.1.weight=0.5",
                "reward.2={ type = c }");
        assertEquals(0.5, c.getConfigList("reward").get(1).getDouble("weight"));
        assertEquals(1, c.getConfigList("reward").get(0).getInt("weight"));
        assertEquals("c", c.getConfigList("reward").get(2).getString("type"));
    }

    @Test
    void substitutionsSeeOverrides() {
        Config c = apply("run { seed = 1 }\ndataset { seed = ${run.seed} }", "run.seed=7");
        assertEquals(7, c.getInt("dataset.seed"));
    }

    @Test
    void malformedOverridesAreProblems() {
        ConfigProblemsException e = assertThrows(ConfigProblemsException.class,
                () -> apply("reward = [ { type = a } ]", "nokey", "reward.5.weight=1"));
        assertEquals(List.of(
                "command line -o nokey: expected key=value, e.g. -o algorithm.group-size=16",
                "command line -o reward.5.weight=1: reward.5.weight: '5' is not an index of the list at reward (it has 1"
                        + " entries: 0..0; 1 appends)"),
                e.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void suggestionsNeedACloseMatch() {
        assertEquals("grpo", Suggestions.closest("grpoo", List.of("dpo", "grpo")).orElseThrow());
        assertEquals("group-size", Suggestions.closest("gruop-size", List.of("group-size", "seed")).orElseThrow());
        assertEquals(java.util.Optional.empty(), Suggestions.closest("transformer", List.of("dpo", "grpo")));
    }
}
