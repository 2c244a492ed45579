package org.prefopt.launcher.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a user's section against the defaults it will be merged over: every key must exist in the defaults
 * (nested sections checked recursively) and every value must have the default's type. A {@code null} default marks
 * a required option of any type; an empty section {@code {}} as default accepts any keys (free-form maps).
 */
final class SectionChecker {

    private SectionChecker() {
    }

    /**
     * @param user     the user's section
     * @param defaults the defaults section
     * @param path     config path of the section, for messages
     * @param owner    what the section configures, e.g. {@code algorithm 'grpo'} or {@code section 'generation'}
     * @param reserved keys of the section's top level that the launcher handles itself (skipped here)
     * @return false when a value has the wrong type (the merged options cannot be read safely); unknown keys are
     *         reported but do not make the section unreadable
     */
    static boolean check(ConfigObject user, ConfigObject defaults, String path, String owner, Set<String> reserved,
                         Problems problems) {
        boolean ok = true;
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (reserved.contains(key)) {
                continue;
            }
            ConfigValue value = e.getValue();
            String keyPath = path + "." + key;
            ConfigValue def = defaults.get(key);
            if (def == null && !defaults.containsKey(key)) {
                Set<String> supported = new TreeSet<>(defaults.keySet());
                supported.addAll(reserved);
                problems.add(value.origin(), keyPath, "unknown option '" + key + "' for " + owner + "."
                        + Suggestions.didYouMean(key, supported)
                        + (supported.isEmpty() ? " It has no options." : " Supported options: " + String.join(", ", supported) + "."));
                // an unknown key leaves the known ones usable: the component's own validate() still runs
                continue;
            }
            ok &= checkValue(value, def, keyPath, owner, problems);
        }
        return ok;
    }

    private static boolean checkValue(ConfigValue value, ConfigValue def, String keyPath, String owner,
                                      Problems problems) {
        if (def == null || def.valueType() == ConfigValueType.NULL) {
            return true; // required option: any type
        }
        ConfigValueType expected = def.valueType();
        ConfigValueType actual = value.valueType();
        if (actual == ConfigValueType.NULL) {
            problems.add(value.origin(), keyPath, "must not be null (default: " + render(def) + ")");
            return false;
        }
        if (expected == ConfigValueType.OBJECT) {
            ConfigObject defObject = (ConfigObject) def;
            if (actual != ConfigValueType.OBJECT) {
                problems.add(value.origin(), keyPath, "expects a section { ... } with keys "
                        + new TreeSet<>(defObject.keySet()) + ", got " + describe(value));
                return false;
            }
            if (defObject.isEmpty()) {
                return true; // free-form
            }
            return check((ConfigObject) value, defObject, keyPath, owner, Set.of(), problems);
        }
        if (!compatible(expected, value)) {
            problems.add(value.origin(), keyPath, "expects " + typeName(expected) + " (default: " + render(def)
                    + "), got " + describe(value));
            return false;
        }
        return true;
    }

    /** Same coercions as Typesafe's getters: numbers and booleans may be written as strings and vice versa. */
    private static boolean compatible(ConfigValueType expected, ConfigValue value) {
        ConfigValueType actual = value.valueType();
        if (expected == actual) {
            return true;
        }
        return switch (expected) {
            case STRING -> actual == ConfigValueType.NUMBER || actual == ConfigValueType.BOOLEAN;
            case NUMBER -> actual == ConfigValueType.STRING && parsesAsNumber((String) value.unwrapped());
            case BOOLEAN -> actual == ConfigValueType.STRING && Set.of("true", "false", "yes", "no", "on", "off")
                    .contains(((String) value.unwrapped()).trim().toLowerCase(java.util.Locale.ROOT));
            default -> false;
        };
    }

    private static boolean parsesAsNumber(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Adds a "missing required option" problem for every {@code null} left after merging. */
    static boolean requireSet(ConfigObject merged, String path, String owner, ConfigOrigin sectionOrigin,
                              Problems problems) {
        boolean ok = true;
        for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
            ConfigValue v = e.getValue();
            String keyPath = path + "." + e.getKey();
            if (v.valueType() == ConfigValueType.NULL) {
                problems.add(sectionOrigin, keyPath, "missing required option '" + e.getKey() + "' for " + owner
                        + " (set " + keyPath + " = ...)");
                ok = false;
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                ok &= requireSet((ConfigObject) v, keyPath, owner, sectionOrigin, problems);
            }
        }
        return ok;
    }

    static String typeName(ConfigValueType t) {
        return switch (t) {
            case OBJECT -> "a section { ... }";
            case LIST -> "a list [ ... ]";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean (true or false)";
            case NULL -> "null";
            case STRING -> "a string";
        };
    }

    static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "a section { ... }";
            case LIST -> "a list " + render(v);
            default -> typeName(v.valueType()) + " " + render(v);
        };
    }

    static String render(ConfigValue v) {
        String s = v.render(com.typesafe.config.ConfigRenderOptions.concise());
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
