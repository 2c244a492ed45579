package org.prefopt.rewards.equivalence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a normalised answer: a single expression, an ordered sequence with its brackets (tuple or
 * interval, where {@code (1,2)}, {@code [1,2)} and {@code (2,1)} all differ), an unordered collection (a set
 * {@code \{1,2\}}, a bare list {@code 1, 2}, a union of intervals, or the two values of {@code a\pm b}), a
 * matrix, or a relation ({@code x\leq 5}, {@code 1<x\leq 3}, {@code x\neq 3}; a set-builder
 * {@code \{x\mid x>5\}} is its condition). {@code x\in S} is read as {@code S}.
 */
public sealed interface AnswerStructure {

    /** Most elements (or matrix cells) considered; larger answers are refused as too large. */
    int MAX_ELEMENTS = 64;

    record Atom(String text) implements AnswerStructure {
    }

    record Ordered(char open, char close, List<AnswerStructure> elements) implements AnswerStructure {
    }

    record Unordered(List<AnswerStructure> elements) implements AnswerStructure {
    }

    record Matrix(List<List<AnswerStructure>> rows) implements AnswerStructure {
    }

    /** A relation symbol, as {@link LatexNormalizer} spells it. */
    enum Op {
        LT("<"), LE("\\leq"), GT(">"), GE("\\geq"), NE("\\neq");

        final String tex;

        Op(String tex) {
            this.tex = tex;
        }

        /** The same relation read from right to left ({@code a > b} is {@code b < a}). */
        Op flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                case NE -> NE;
            };
        }
    }

    /**
     * {@code sides[0] ops[0] sides[1] ops[1] ...}. Direction-normalised: a chain of only {@code >}/{@code \geq} is
     * stored reversed with {@code <}/{@code \leq}, so {@code 5\geq x} and {@code x\leq 5} are the same record.
     */
    record Relation(List<AnswerStructure> sides, List<Op> ops) implements AnswerStructure {
    }

    /** Raised when an answer has more than {@link #MAX_ELEMENTS} parts. */
    final class TooLarge extends Exception {
        TooLarge() {
            super("more than " + MAX_ELEMENTS + " elements", null, false, false);
        }
    }

    Pattern ELEMENT_OF = Pattern.compile("^(?:[a-zA-Z]|\\\\[a-zA-Z]+)\\s?\\\\in(?![a-zA-Z])(.+)$");

    Pattern MATRIX = Pattern.compile("^\\\\begin\\{([pbBvV]?matrix|array)\\}(?:\\{[^{}]*\\})?(.*)\\\\end\\{\\1\\}$");

    static AnswerStructure parse(String s) throws TooLarge {
        return parse(s, 0);
    }

    private static AnswerStructure parse(String s, int depth) throws TooLarge {
        if (depth > 8) {
            return new Atom(s);
        }
        Matcher m = MATRIX.matcher(s);
        if (m.matches()) {
            List<List<AnswerStructure>> rows = new ArrayList<>();
            int cells = 0;
            for (String row : split(m.group(2), "\\\\")) {
                if (row.isEmpty()) {
                    continue;
                }
                List<AnswerStructure> r = new ArrayList<>();
                for (String cell : split(row, "&")) {
                    if (++cells > MAX_ELEMENTS) {
                        throw new TooLarge();
                    }
                    r.add(new Atom(cell));
                }
                rows.add(r);
            }
            return new Matrix(rows);
        }
        Matcher in = ELEMENT_OF.matcher(s);
        if (in.matches()) {
            return parse(in.group(1).trim(), depth + 1);
        }
        if (s.startsWith("\\{") && s.endsWith("\\}") && enclosing(s, 2, s.length() - 2)) {
            String inner = s.substring(2, s.length() - 2);
            AnswerStructure builder = setBuilder(inner, depth);
            return builder != null ? builder : new Unordered(elements(inner, ",", depth));
        }
        List<String> union = split(s, "\\cup");
        if (union.size() > 1) {
            return new Unordered(elements(union, depth));
        }
        char first = s.isEmpty() ? 0 : s.charAt(0);
        char last = s.isEmpty() ? 0 : s.charAt(s.length() - 1);
        if ((first == '(' || first == '[') && (last == ')' || last == ']') && enclosing(s, 1, s.length() - 1)) {
            String inner = s.substring(1, s.length() - 1);
            List<String> parts = split(inner, ",");
            if (parts.size() > 1) {
                return new Ordered(first, last, elements(parts, depth));
            }
            if (first == '(' && last == ')' || MATRIX.matcher(inner).matches()) {
                return parse(inner, depth + 1); // "(5)" is just 5; "[\\begin{array}...\\end{array}]" is the matrix
            }
            return new Ordered(first, last, elements(parts, depth)); // "[5]" is not 5
        }
        List<String> parts = split(s, ",");
        if (parts.size() > 1) {
            return new Unordered(elements(parts, depth));
        }
        AnswerStructure relation = relation(s, depth);
        if (relation != null) {
            return relation;
        }
        List<String> pm = split(s, "\\pm");
        if (pm.size() == 2) {
            return new Unordered(List.of(new Atom(pm.get(0) + "+" + pm.get(1)), new Atom(pm.get(0) + "-" + pm.get(1))));
        }
        return new Atom(s);
    }

    /** {@code \{x\mid x>5\}} (or {@code |}, {@code :}) is the relation {@code x>5}; null when not of that form. */
    private static AnswerStructure setBuilder(String inner, int depth) throws TooLarge {
        for (String bar : new String[] {"\\mid", "|", ":"}) {
            List<String> parts = split(inner, bar);
            if (parts.size() == 2) {
                AnswerStructure condition = parse(parts.get(1).trim(), depth + 1);
                return condition instanceof Relation ? condition : null;
            }
        }
        return null;
    }

    /** A relation when {@code s} has a relation symbol outside all brackets; otherwise null. */
    private static AnswerStructure relation(String s, int depth) throws TooLarge {
        List<String> sides = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        int level = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            Op op = null;
            int length = 1;
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(i + 1);
                if (d == '{' || d == '}') {
                    level += d == '{' ? 1 : -1;
                    i++;
                    continue;
                }
                for (Op o : new Op[] {Op.LE, Op.GE, Op.NE}) {
                    if (s.startsWith(o.tex, i) && (i + o.tex.length() == s.length()
                            || !Character.isLetter(s.charAt(i + o.tex.length())))) {
                        op = o;
                        length = o.tex.length();
                    }
                }
            } else if (c == '<' || c == '>') {
                op = c == '<' ? Op.LT : Op.GT;
            } else if (c == '(' || c == '[' || c == '{') {
                level++;
            } else if (c == ')' || c == ']' || c == '}') {
                level = Math.max(0, level - 1);
            }
            if (op != null && level == 0) {
                sides.add(s.substring(start, i).trim());
                ops.add(op);
                start = i + length;
            }
            if (op != null) {
                i += length - 1;
            }
        }
        if (ops.isEmpty()) {
            return null;
        }
        sides.add(s.substring(start).trim());
        if (sides.stream().anyMatch(String::isEmpty)) {
            return null;
        }
        if (ops.stream().allMatch(o -> o == Op.GT || o == Op.GE)) {
            Collections.reverse(sides);
            Collections.reverse(ops);
            ops.replaceAll(Op::flipped);
        }
        return new Relation(elements(sides, depth), List.copyOf(ops));
    }

    private static List<AnswerStructure> elements(String inner, String separator, int depth) throws TooLarge {
        return elements(split(inner, separator), depth);
    }

    private static List<AnswerStructure> elements(List<String> parts, int depth) throws TooLarge {
        if (parts.size() > MAX_ELEMENTS) {
            throw new TooLarge();
        }
        List<AnswerStructure> out = new ArrayList<>(parts.size());
        for (String p : parts) {
            out.add(parse(p, depth + 1));
        }
        return out;
    }

    /**
     * Whether the bracket at {@code from - 1} closes exactly at {@code to}: nothing between them drops to depth 0.
     * Round and square brackets count together so that half-open intervals match.
     */
    private static boolean enclosing(String s, int from, int to) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                depth += s.charAt(i + 1) == '{' ? 1 : -1;
                i++;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Splits at {@code separator} where no bracket of any kind is open. */
    static List<String> split(String s, String separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (depth == 0 && s.startsWith(separator, i)
                    && !(separator.startsWith("\\") && Character.isLetter(separator.charAt(separator.length() - 1))
                    && i + separator.length() < s.length() && Character.isLetter(s.charAt(i + separator.length())))) {
                parts.add(s.substring(start, i));
                i += separator.length() - 1;
                start = i + 1;
                continue;
            }
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(i + 1);
                if (d == '{' || d == '}') {
                    depth += d == '{' ? 1 : -1;
                    i++;
                } else if (d == '\\') {
                    i++;
                }
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
