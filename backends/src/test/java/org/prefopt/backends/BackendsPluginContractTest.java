package org.prefopt.backends;

import com.google.inject.Module;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.prefopt.api.model.Backend;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.PluginContractTest;

class BackendsPluginContractTest extends PluginContractTest {

    @Override
    protected Plugin plugin() {
        return new BackendsPlugin();
    }

    @Override
    protected Config requiredOptions(ComponentFactory<?> factory) {
        if (factory.name().equals("hf")) {
            String dir = org.prefopt.backends.djl.TestCheckpoints.llama().toString();
            return ConfigFactory.parseMap(java.util.Map.of("path", dir));
        }
        return ConfigFactory.empty();
    }

    @Override
    protected Module environment(ComponentFactory<?> factory) {
        if (factory.slot().type() == Backend.class) {
            return binder -> { };
        }
        return binder -> binder.bind(Backend.class).toInstance(org.prefopt.backends.djl.TestCheckpoints.backend());
    }

    /** The hf policy needs tokenizer files next to the checkpoint, which the tiny reference fixture lacks. */
    @Override
    protected boolean instantiate(ComponentFactory<?> factory) {
        return !factory.name().equals("hf");
    }
}
