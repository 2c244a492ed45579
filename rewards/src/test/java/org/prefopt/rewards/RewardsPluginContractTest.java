package org.prefopt.rewards;

import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.PluginContractTest;
import org.prefopt.rewards.plugin.MathRewardsPlugin;

class RewardsPluginContractTest extends PluginContractTest {

    @Override
    protected Plugin plugin() {
        return new MathRewardsPlugin();
    }
}
