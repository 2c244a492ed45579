package org.prefopt.api.testing;

import org.prefopt.api.plugin.ReferenceConf;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the {@code reference.conf} that ships next to a plugin class (not any other jar's). */
public final class PluginDefaults {

    private PluginDefaults() {
    }

    /**
     * The {@code reference.conf} files of the jar or directory {@code pluginClass} was loaded from, merged
     * (normally exactly one). Other {@code reference.conf} files on the class path are ignored, so a plugin's
     * test checks only what the plugin itself ships.
     */
    public static Config of(Class<?> pluginClass) {
        return ReferenceConf.of(pluginClass);
    }

    /**
     * Every leaf path below {@code object} (values that are not objects), including {@code null} values, which
     * {@link Config#entrySet()} leaves out but which mark required options. Empty objects count as leaves.
     */
    public static List<String> leafPaths(ConfigObject object) {
        List<String> out = new ArrayList<>();
        collect(object, new ArrayList<>(), out);
        return out;
    }

    private static void collect(ConfigObject object, List<String> prefix, List<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
                collect((ConfigObject) v, path, out);
            } else {
                out.add(ConfigUtil.joinPath(path));
            }
        }
    }
}
