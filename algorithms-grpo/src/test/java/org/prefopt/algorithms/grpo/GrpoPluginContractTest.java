package org.prefopt.algorithms.grpo;

import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.PluginContractTest;

class GrpoPluginContractTest extends PluginContractTest {

    @Override
    protected Plugin plugin() {
        return new GrpoPlugin();
    }
}
