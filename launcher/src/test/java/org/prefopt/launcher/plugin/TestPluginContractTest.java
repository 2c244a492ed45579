package org.prefopt.launcher.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.prefopt.api.model.Backend;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.testing.PluginContractTest;
import org.prefopt.launcher.testplugin.TestPlugin;

/** The launcher's test plugin meets the contract every plugin module tests itself with (api test-jar). */
class TestPluginContractTest extends PluginContractTest {

    @Override
    protected Plugin plugin() {
        return new TestPlugin();
    }

    @Override
    protected Config requiredOptions(ComponentFactory<?> factory) {
        return factory.name().equals("jsonl") ? ConfigFactory.parseString("path = data.jsonl") : ConfigFactory.empty();
    }

    @Override
    protected Module environment(ComponentFactory<?> factory) {
        if (factory.slot().equals(Slot.POLICY)) {
            return binder -> binder.bind(Backend.class).toInstance(new TestPlugin.TestBackend("fake", "cpu"));
        }
        return super.environment(factory);
    }
}
