package com.example.prefopt.constant;

import java.util.List;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;

/** A third-party plugin with one component: the {@code constant} reward. */
public final class ConstantRewardPlugin implements Plugin {

    @Override
    public String name() {
        return "example-constant-reward";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(new ConstantRewardFactory());
    }
}
