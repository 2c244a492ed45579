package org.prefopt.algorithms.dpo;

import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.PluginContractTest;

class DpoPluginContractTest extends PluginContractTest {

    @Override
    protected Plugin plugin() {
        return new DpoPlugin();
    }
}
