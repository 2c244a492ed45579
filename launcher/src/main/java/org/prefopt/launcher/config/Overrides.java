package org.prefopt.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line overrides {@code -o path=value}. The value is parsed as a HOCON value ({@code 16}, {@code true},
 * {@code [a, b]}, {@code {type = grpo}}); text that is not valid HOCON is taken as a plain string, so
 * {@code -o prompt.template="Q: {question}"} works without extra quoting. A path segment that is a number indexes a
 * list ({@code -o reward.1.weight=0.5}); the index one past the end appends. Every value carries the origin
 * {@code command line -o <argument>} so that validation names it.
 */
public final class Overrides {

    public static final String ORIGIN_PREFIX = "command line -o ";

    private Overrides() {
    }

    /** Applies every override in order; malformed ones are added to {@code problems} and skipped. */
    public static Config apply(Config config, List<String> overrides, Problems problems) {
        ConfigObject root = config.root();
        for (String arg : overrides) {
            String location = ORIGIN_PREFIX + arg;
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                problems.add(location, "", "expected key=value, e.g. -o algorithm.group-size=16");
                continue;
            }
            String path = arg.substring(0, eq).trim();
            List<String> segments;
            try {
                segments = ConfigUtil.splitPath(path);
            } catch (ConfigException e) {
                problems.add(location, path, "not a valid config path: " + e.getMessage());
                continue;
            }
            ConfigValue value = parseValue(arg.substring(eq + 1), location);
            try {
                root = (ConfigObject) set(root, segments, 0, value, path);
            } catch (IllegalArgumentException e) {
                problems.add(location, path, e.getMessage());
            }
        }
        return root.toConfig();
    }

    /** Parses one value as HOCON, falling back to a plain string. */
    public static ConfigValue parseValue(String raw, String originDescription) {
        ConfigParseOptions options = ConfigParseOptions.defaults().setOriginDescription(originDescription);
        String trimmed = raw.trim();
        if (!trimmed.isEmpty()) {
            try {
                ConfigValue v = ConfigFactory.parseString("value = " + trimmed, options).root().get("value");
                if (v != null) {
                    return v;
                }
            } catch (ConfigException e) {
                // not HOCON: a plain string below
            }
        }
        return ConfigValueFactory.fromAnyRef(raw, originDescription);
    }

    private static ConfigValue set(ConfigValue current, List<String> segments, int i, ConfigValue value, String path) {
        if (i == segments.size()) {
            return value;
        }
        String head = segments.get(i);
        if (current instanceof ConfigList list) {
            int index = parseIndex(head);
            if (index < 0 || index > list.size()) {
                throw new IllegalArgumentException("'" + head + "' is not an index of the list at "
                        + ConfigUtil.joinPath(segments.subList(0, i)) + " (it has " + list.size() + " entries: 0.."
                        + (list.size() - 1) + "; " + list.size() + " appends)");
            }
            List<ConfigValue> copy = new ArrayList<>(list);
            ConfigValue child = index < copy.size() ? copy.get(index) : null;
            ConfigValue updated = set(child, segments, i + 1, value, path);
            if (index < copy.size()) {
                copy.set(index, updated);
            } else {
                copy.add(updated);
            }
            return ConfigValueFactory.fromIterable(copy, list.origin().description());
        }
        ConfigObject object = current instanceof ConfigObject o ? o : ConfigFactory.empty().root();
        ConfigValue child = object.get(head);
        return object.withValue(head, set(child, segments, i + 1, value, path));
    }

    private static int parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(s);
    }
}
