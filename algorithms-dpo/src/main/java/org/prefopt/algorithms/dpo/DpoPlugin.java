package org.prefopt.algorithms.dpo;

import java.util.List;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;

/** The DPO family. */
public final class DpoPlugin implements Plugin {

    /** {@code algorithm { type = dpo }}. */
    public static final ComponentFactory<Algorithm> DPO = ComponentFactory.of(Slot.ALGORITHM, "dpo",
            "Direct Preference Optimization and its family (sigmoid, robust, hinge, ipo, simpo, orpo, kto) on offline"
                    + " preference data or online rewarded samples",
            options -> new DpoAlgorithm(DpoOptions.from(options)), DpoOptions::validate);

    @Override
    public String name() {
        return "algorithms-dpo";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(DPO);
    }
}
