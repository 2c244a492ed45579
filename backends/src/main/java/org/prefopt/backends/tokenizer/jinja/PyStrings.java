package org.prefopt.backends.tokenizer.jinja;

import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python {@code str} methods that chat templates call ({@code content.startswith('x')},
 * {@code .split('</think>')[-1].lstrip('\n')}, ...). Jinjava would otherwise resolve these names against
 * {@link String}'s Java methods, which either do not exist or behave differently ({@code split} takes a
 * regex and drops trailing empty strings; {@code strip} takes no argument).
 */
public final class PyStrings {

    private PyStrings() {
    }

    /** Python's {@code str.isspace()} for one char (Unicode Zs plus the ASCII/C1 separators). */
    public static boolean isPySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** Whether {@code name} is a str method handled here. */
    public static boolean handles(String name) {
        switch (name) {
            case "startswith": case "endswith": case "strip": case "lstrip": case "rstrip": case "split":
            case "rsplit": case "splitlines": case "upper": case "lower": case "title": case "capitalize":
            case "replace": case "find": case "rfind": case "count": case "join": case "isdigit":
            case "isalpha": case "isspace": case "isalnum": case "islower": case "isupper":
                return true;
            default:
                return false;
        }
    }

    /**
     * Calls Python str method {@code name} on {@code s}.
     *
     * @throws IllegalArgumentException for wrong argument counts or types, with the method name
     */
    public static Object call(String s, String name, Object[] args) {
        Object[] a = args == null ? new Object[0] : args;
        switch (name) {
            case "startswith":
                arity(name, a, 1, 1);
                return affixMatch(s, a[0], true);
            case "endswith":
                arity(name, a, 1, 1);
                return affixMatch(s, a[0], false);
            case "strip":
                arity(name, a, 0, 1);
                return rstrip(lstrip(s, chars(a)), chars(a));
            case "lstrip":
                arity(name, a, 0, 1);
                return lstrip(s, chars(a));
            case "rstrip":
                arity(name, a, 0, 1);
                return rstrip(s, chars(a));
            case "split":
                arity(name, a, 0, 2);
                return new PyList(split(s, a.length > 0 ? str(name, a[0], true) : null,
                        a.length > 1 ? integer(name, a[1]) : -1));
            case "rsplit":
                arity(name, a, 0, 2);
                return new PyList(rsplit(s, a.length > 0 ? str(name, a[0], true) : null,
                        a.length > 1 ? integer(name, a[1]) : -1));
            case "splitlines":
                arity(name, a, 0, 0);
                return new PyList(splitlines(s));
            case "upper":
                arity(name, a, 0, 0);
                return s.toUpperCase(Locale.ROOT);
            case "lower":
                arity(name, a, 0, 0);
                return s.toLowerCase(Locale.ROOT);
            case "title":
                arity(name, a, 0, 0);
                return title(s);
            case "capitalize":
                arity(name, a, 0, 0);
                return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace":
                arity(name, a, 2, 3);
                return replace(s, str(name, a[0], false), str(name, a[1], false), a.length > 2 ? integer(name, a[2]) : -1);
            case "find":
                arity(name, a, 1, 1);
                return (long) s.indexOf(str(name, a[0], false));
            case "rfind":
                arity(name, a, 1, 1);
                return (long) s.lastIndexOf(str(name, a[0], false));
            case "count":
                arity(name, a, 1, 1);
                return count(s, str(name, a[0], false));
            case "join":
                arity(name, a, 1, 1);
                return join(s, a[0]);
            case "isdigit":
                return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha":
                return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum":
                return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace":
                return !s.isEmpty() && s.chars().allMatch(c -> isPySpace((char) c));
            case "islower":
                return s.chars().anyMatch(Character::isLowerCase) && s.chars().noneMatch(Character::isUpperCase);
            case "isupper":
                return s.chars().anyMatch(Character::isUpperCase) && s.chars().noneMatch(Character::isLowerCase);
            default:
                throw new IllegalArgumentException("str has no method '" + name + "'");
        }
    }

    private static void arity(String name, Object[] a, int min, int max) {
        if (a.length < min || a.length > max) {
            throw new IllegalArgumentException("str." + name + "() takes " + (min == max ? "" + min : min + " to " + max)
                    + " arguments, got " + a.length);
        }
    }

    private static String str(String name, Object o, boolean nullable) {
        if (o == null && nullable) {
            return null;
        }
        if (o instanceof CharSequence) {
            return o.toString();
        }
        throw new IllegalArgumentException("str." + name + "() expects a string argument, got "
                + (o == null ? "none" : o.getClass().getSimpleName()));
    }

    private static int integer(String name, Object o) {
        if (o instanceof Number) {
            return ((Number) o).intValue();
        }
        throw new IllegalArgumentException("str." + name + "() expects an integer argument");
    }

    private static String chars(Object[] a) {
        return a.length == 0 || a[0] == null ? null : str("strip", a[0], false);
    }

    private static boolean affixMatch(String s, Object affix, boolean prefix) {
        if (affix instanceof Iterable<?>) {
            for (Object o : (Iterable<?>) affix) {
                if (affixMatch(s, o, prefix)) {
                    return true;
                }
            }
            return false;
        }
        String p = str(prefix ? "startswith" : "endswith", affix, false);
        return prefix ? s.startsWith(p) : s.endsWith(p);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isPySpace(c) : chars.indexOf(c) >= 0;
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && stripped(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && stripped(s.charAt(i - 1), chars)) {
            i--;
        }
        return s.substring(0, i);
    }

    static List<Object> split(String s, String sep, int maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isPySpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return out;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(s.substring(i)); // Python keeps the remainder's trailing whitespace
                    return out;
                }
                int j = i;
                while (j < n && !isPySpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("str.split(): empty separator");
        }
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int idx = s.indexOf(sep, from);
            if (idx < 0) {
                break;
            }
            out.add(s.substring(from, idx));
            from = idx + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static List<Object> rsplit(String s, String sep, int maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, -1);
        }
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String rest = rstrip(s, null);
            while (!rest.isEmpty() && out.size() < maxsplit) {
                int j = rest.length();
                int i = j;
                while (i > 0 && !isPySpace(rest.charAt(i - 1))) {
                    i--;
                }
                out.add(0, rest.substring(i, j));
                rest = rstrip(rest.substring(0, i), null);
            }
            if (!rest.isEmpty()) {
                out.add(0, rest);
            }
            return out;
        }
        int end = s.length();
        while (out.size() < maxsplit) {
            int idx = s.lastIndexOf(sep, end - sep.length());
            if (idx < 0) {
                break;
            }
            out.add(0, s.substring(idx + sep.length(), end));
            end = idx;
        }
        out.add(0, s.substring(0, end));
        return out;
    }

    private static List<Object> splitlines(String s) {
        List<Object> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(prevCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            prevCased = Character.isLetter(c);
        }
        return b.toString();
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int idx = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
            if (idx < 0) {
                break;
            }
            b.append(s, from, idx).append(replacement);
            from = idx + old.length();
            if (old.isEmpty()) {
                if (idx < s.length()) {
                    b.append(s.charAt(idx));
                }
                from = idx + 1;
            }
        }
        if (from <= s.length()) {
            b.append(s.substring(Math.min(from, s.length())));
        }
        return b.toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        int from = 0;
        while ((from = s.indexOf(sub, from)) >= 0) {
            n++;
            from += sub.length();
        }
        return n;
    }

    private static String join(String sep, Object items) {
        if (!(items instanceof Iterable<?>)) {
            throw new IllegalArgumentException("str.join() expects a list");
        }
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (Object o : (Iterable<?>) items) {
            if (!first) {
                b.append(sep);
            }
            b.append(str("join", o, false));
            first = false;
        }
        return b.toString();
    }
}
