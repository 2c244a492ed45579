package org.prefopt.launcher.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code key=value} option arguments of the tool commands ({@code -O key=value}, {@code type:k=v,k=v}). */
final class ComponentOptions {

    private ComponentOptions() {
    }

    static Map<String, String> parse(List<String> pairs, String flag) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(flag + " '" + pair + "': expected key=value");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }

    /** {@code difficulty:max=2,min=1} → type {@code difficulty} and its options. */
    record Spec(String type, Map<String, String> options) {

        static Spec parse(String spec, String flag) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                return new Spec(spec.strip(), Map.of());
            }
            List<String> pairs = List.of(spec.substring(colon + 1).split(","));
            return new Spec(spec.substring(0, colon).strip(), ComponentOptions.parse(pairs, flag));
        }
    }
}
