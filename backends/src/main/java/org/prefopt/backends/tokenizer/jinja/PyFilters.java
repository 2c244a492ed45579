package org.prefopt.backends.tokenizer.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Jinja2 filters that Jinjava lacks or implements differently. */
final class PyFilters {

    private PyFilters() {
    }

    static List<Filter> all() {
        return List.of(new Items(), new Trim());
    }

    /** {@code mapping|items}: the (key, value) pairs, as {@code for k, v in d|items} expects. */
    static final class Items implements Filter {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return new PyList(new ArrayList<>());
            }
            if (!(var instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("items filter expects a mapping, got " + var.getClass().getSimpleName());
            }
            List<Object> pairs = new ArrayList<>();
            ((Map<?, ?>) var).forEach((k, v) -> pairs.add(new PyList(new ArrayList<>(java.util.Arrays.asList(k, v)))));
            return new PyList(pairs);
        }
    }

    /** {@code s|trim(chars=None)}: Python's {@code str.strip(chars)} (Jinjava ignores {@code chars}). */
    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return "";
            }
            String chars = args.length > 0 ? args[0] : null;
            String s = var.toString();
            return PyStrings.rstrip(PyStrings.lstrip(s, chars), chars);
        }
    }
}
