package org.prefopt.backends.tokenizer.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tojson} filter as HF transformers defines it for chat templates: Python's
 * {@code json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)},
 * byte for byte (separators {@code ", "}/{@code ": "}, non-ASCII kept, Python float repr). Jinjava's own
 * {@code tojson} is compact Jackson output, which would change tool schemas in rendered prompts.
 */
public final class PyJson implements Filter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return dumps(var, false, null, false);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        // transformers' signature: tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
        Object ensureAscii = args.length > 0 ? args[0] : kwargs.get("ensure_ascii");
        Object indent = args.length > 1 ? args[1] : kwargs.get("indent");
        Object sortKeys = args.length > 3 ? args[3] : kwargs.get("sort_keys");
        Integer ind = indent instanceof Number ? Integer.valueOf(((Number) indent).intValue()) : null;
        return dumps(var, Boolean.TRUE.equals(ensureAscii), ind, Boolean.TRUE.equals(sortKeys));
    }

    /** Python {@code json.dumps} of Java maps, iterables, strings, numbers, booleans and null. */
    public static String dumps(Object value, boolean ensureAscii, Integer indent, boolean sortKeys) {
        StringBuilder b = new StringBuilder();
        write(b, value, ensureAscii, indent, sortKeys, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, boolean ascii, Integer indent, boolean sort, int level) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean) {
            b.append(((Boolean) v) ? "true" : "false");
        } else if (v instanceof CharSequence || v instanceof Character) {
            quote(b, v.toString(), ascii);
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            b.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof Number) {
            b.append(v.toString());
        } else if (v instanceof Map<?, ?>) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            Iterable<? extends Map.Entry<?, ?>> entries = m.entrySet();
            if (sort) {
                Map<String, Object> sorted = new TreeMap<>();
                m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
                entries = sorted.entrySet();
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                if (!first) {
                    b.append(indent == null ? ", " : ",");
                }
                newline(b, indent, level + 1);
                quote(b, keyString(e.getKey()), ascii);
                b.append(": ");
                write(b, e.getValue(), ascii, indent, sort, level + 1);
                first = false;
            }
            newline(b, indent, level);
            b.append('}');
        } else if (v instanceof Iterable<?> || v instanceof Object[]) {
            List<Object> items = new ArrayList<>();
            if (v instanceof Object[]) {
                items.addAll(List.of((Object[]) v));
            } else {
                ((Iterable<?>) v).forEach(items::add);
            }
            if (items.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    b.append(indent == null ? ", " : ",");
                }
                newline(b, indent, level + 1);
                write(b, items.get(i), ascii, indent, sort, level + 1);
            }
            newline(b, indent, level);
            b.append(']');
        } else {
            throw new IllegalArgumentException("Object of type " + v.getClass().getSimpleName()
                    + " is not JSON serializable");
        }
    }

    private static String keyString(Object k) {
        if (k instanceof Boolean) {
            return ((Boolean) k) ? "true" : "false";
        }
        return k == null ? "null" : k.toString();
    }

    private static void newline(StringBuilder b, Integer indent, int level) {
        if (indent != null) {
            b.append('\n');
            b.append(" ".repeat(indent * level));
        }
    }

    private static void quote(StringBuilder b, String s, boolean ascii) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        String plain = bd.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
