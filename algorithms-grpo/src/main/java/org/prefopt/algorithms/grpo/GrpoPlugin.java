package org.prefopt.algorithms.grpo;

import java.util.List;
import org.prefopt.algorithms.sft.SftAlgorithm;
import org.prefopt.algorithms.sft.SftOptions;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;

/** The GRPO and SFT algorithms. */
public final class GrpoPlugin implements Plugin {

    /** {@code algorithm { type = grpo }}. */
    public static final ComponentFactory<Algorithm> GRPO = ComponentFactory.of(Slot.ALGORITHM, "grpo",
            "Group Relative Policy Optimization and its family: TRL's loss aggregations, token or sequence (GSPO)"
                    + " ratios, group/rloo/reinforce-plus-plus advantages, clip or cispo objective, KL",
            options -> new GrpoAlgorithm(GrpoOptions.from(options)), GrpoOptions::validate);

    /** {@code algorithm { type = sft }}. */
    public static final ComponentFactory<Algorithm> SFT = ComponentFactory.of(Slot.ALGORITHM, "sft",
            "Supervised warm start on the examples' reference solutions (mean token NLL)",
            options -> new SftAlgorithm(SftOptions.from(options)), SftOptions::validate);

    @Override
    public String name() {
        return "algorithms-grpo";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(GRPO, SFT);
    }
}
