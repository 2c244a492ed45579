package org.prefopt.algorithms.dpo;

import java.util.List;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;

/** The DPO family. */
public final class DpoPlugin implements Plugin {

    @Override
    public String name() {
        return "algorithms-dpo";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(new DpoFactory());
    }
}
