package org.prefopt.launcher.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.testplugin.TestPlugin;

/** Generation goes through the run's engine section; without one the policy generates itself. */
class RoutedPolicyTest {

    static final String POLICY = "policy { type = tiny-test }\n";

    @Test
    void theEngineSectionRoutesGeneration() {
        try (RunAssembly a = Assembler.assemble(AssemblyTest.resolve(POLICY + "engine { type = counting }"),
                Stage.PRODUCTION)) {
            PolicyModel routed = RoutedPolicy.of(a);
            TestPlugin.CountingEngine engine = (TestPlugin.CountingEngine) a.component(Slot.ENGINE, "engine");
            assertEquals(List.of(), routed.generate(List.of(new GenerationRequest("a", new int[] {1, 2}, 2)),
                    SamplingParams.greedy(3)));
            assertEquals(1, engine.calls);
        }
    }

    @Test
    void withoutAnEngineSectionThePolicyGenerates() {
        try (RunAssembly a = Assembler.assemble(AssemblyTest.resolve(POLICY), Stage.PRODUCTION)) {
            assertSame(a.component(Slot.POLICY, "policy"), RoutedPolicy.of(a));
        }
    }
}
