package org.prefopt.algorithms.grpo;

import java.util.List;
import org.prefopt.algorithms.sft.SftFactory;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;

/** The GRPO and SFT algorithms. */
public final class GrpoPlugin implements Plugin {

    @Override
    public String name() {
        return "algorithms-grpo";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(new GrpoFactory(), new SftFactory());
    }
}
