package org.prefopt.launcher.memory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import org.prefopt.api.config.OptionProblems;

/**
 * The run file's {@code memory} section: the device memory the plan must fit in, and the prompt length it assumes.
 *
 * @param limit        {@code auto}, {@code none} or a size such as {@code 80GiB}
 * @param promptTokens the longest prompt the plan assumes, in tokens (prompts are not tokenized by validate)
 */
public record MemorySettings(String limit, int promptTokens) {

    public static final String AUTO = "auto";
    public static final String NONE = "none";

    public static MemorySettings from(Config root) {
        return new MemorySettings(root.getString("memory.limit"), root.getInt("memory.prompt-tokens"));
    }

    /** The section's rules, reported with the other run-level problems. */
    public static void validate(Config root, OptionProblems p) {
        p.requireRange(root, "memory.prompt-tokens", 1, Integer.MAX_VALUE);
        String limit = root.getString("memory.limit");
        if (!limit.equals(AUTO) && !limit.equals(NONE)) {
            try {
                if (root.getBytes("memory.limit") <= 0) {
                    p.add(root, "memory.limit", "must be a positive size (got '" + limit + "')");
                }
            } catch (ConfigException e) {
                p.add(root, "memory.limit", "must be auto, none or a size such as 80GiB or 24GB (got '" + limit
                        + "')");
            }
        }
    }

    /**
     * The bytes the plan must fit in on {@code device}: a stated size; with {@code auto}, the machine's memory on the
     * CPU (the container's limit where there is one) and nothing on a GPU, whose memory cannot be queried here.
     */
    public OptionalLong bytes(Config root, String device) {
        if (limit.equals(NONE)) {
            return OptionalLong.empty();
        }
        if (limit.equals(AUTO)) {
            return device.equals("cpu") ? OptionalLong.of(physicalMemory()) : OptionalLong.empty();
        }
        return OptionalLong.of(root.getBytes("memory.limit"));
    }

    /** Physical memory as the JVM sees it (container-aware since JDK 17). */
    static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
