package org.prefopt.api.memory;

import com.typesafe.config.Config;

/**
 * Estimates the memory a component would need for a workload from its options alone: nothing is loaded or created
 * (a checkpoint's config.json may be read). A policy factory offers it through
 * {@link org.prefopt.api.plugin.ComponentFactory#memoryPlanner()}; the host adds the runtime's own memory and
 * compares the peak with the device's.
 */
@FunctionalInterface
public interface MemoryPlanner {

    /**
     * @param options the component's validated options
     * @throws IllegalArgumentException when the plan cannot be made (e.g. the checkpoint's config.json is absent
     *                                  and its shape is not known): the message says what is missing
     */
    MemoryPlan plan(Config options, MemoryWorkload workload);
}
