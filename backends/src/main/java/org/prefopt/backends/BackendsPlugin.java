package org.prefopt.backends;

import java.util.List;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.backends.djl.DjlPytorchBackendFactory;
import org.prefopt.backends.djl.policy.HfPolicyFactory;
import org.prefopt.backends.djl.policy.TinyPolicyFactory;

/** The compute plugin: the DJL PyTorch backend and the policies that run on it. */
public final class BackendsPlugin implements Plugin {

    @Override
    public String name() {
        return "backends";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(new DjlPytorchBackendFactory(), new HfPolicyFactory(), new TinyPolicyFactory());
    }
}
