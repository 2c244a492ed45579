package org.prefopt.rewards.equivalence;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.prefopt.rewards.equivalence.AnswerStructure.Atom;
import org.prefopt.rewards.equivalence.AnswerStructure.Op;
import org.prefopt.rewards.equivalence.AnswerStructure.Ordered;
import org.prefopt.rewards.equivalence.AnswerStructure.Relation;
import org.prefopt.rewards.equivalence.AnswerStructure.Unordered;

/**
 * The solution set of a relation in one variable, as intervals, so that {@code x>5} can be compared with
 * {@code (5,\infty)}: {@code x<a} is {@code (-\infty,a)}, {@code a\leq x} is {@code [a,\infty)},
 * {@code a<x\leq b} is {@code (a,b]}, {@code x\neq a} is {@code (-\infty,a)\cup(a,\infty)}. Only when one side is
 * a lone variable and the bounds do not contain it; anything else has no interval form.
 */
final class RelationIntervals {

    private static final Pattern VARIABLE = Pattern.compile("[a-zA-Z]|\\\\(?!infty|pi)[a-zA-Z]+");
    private static final Pattern COMMAND = Pattern.compile("\\\\[a-zA-Z]+");
    private static final Atom MINUS_INFINITY = new Atom("-\\infty");
    private static final Atom INFINITY = new Atom("\\infty");

    private RelationIntervals() {
    }

    static Optional<AnswerStructure> of(Relation r) {
        List<AnswerStructure> s = r.sides();
        List<Op> ops = r.ops();
        if (ops.size() == 1) {
            Op op = ops.get(0);
            if (variable(s.get(0)) != null && bound(s.get(1), variable(s.get(0)))) {
                return lowerOpen(op, s.get(1), true);
            }
            if (variable(s.get(1)) != null && bound(s.get(0), variable(s.get(1)))) {
                return lowerOpen(op, s.get(0), false);
            }
            return Optional.empty();
        }
        if (ops.size() == 2 && ops.stream().allMatch(o -> o == Op.LT || o == Op.LE)) {
            String v = variable(s.get(1));
            if (v != null && bound(s.get(0), v) && bound(s.get(2), v)) {
                return Optional.of(new Ordered(ops.get(0) == Op.LT ? '(' : '[', ops.get(1) == Op.LT ? ')' : ']',
                        List.of(s.get(0), s.get(2))));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code x op a} (variableFirst) or {@code a op x}, with op already direction-normalised ({@code <},
     * {@code \leq}, {@code \neq}; a lone {@code >} cannot occur).
     */
    private static Optional<AnswerStructure> lowerOpen(Op op, AnswerStructure a, boolean variableFirst) {
        return switch (op) {
            case NE -> Optional.of(new Unordered(List.of(new Ordered('(', ')', List.of(MINUS_INFINITY, a)),
                    new Ordered('(', ')', List.of(a, INFINITY)))));
            case LT, LE -> {
                boolean strict = op == Op.LT;
                yield Optional.of(variableFirst
                        ? new Ordered('(', strict ? ')' : ']', List.of(MINUS_INFINITY, a))
                        : new Ordered(strict ? '(' : '[', ')', List.of(a, INFINITY)));
            }
            default -> Optional.empty();
        };
    }

    /** The variable a side consists of, or null. */
    private static String variable(AnswerStructure side) {
        return side instanceof Atom a && VARIABLE.matcher(a.text()).matches() ? a.text() : null;
    }

    /** Whether a side is a bound: a single expression that does not mention the variable. */
    private static boolean bound(AnswerStructure side, String variable) {
        if (!(side instanceof Atom a)) {
            return false;
        }
        if (variable.startsWith("\\")) {
            return !a.text().contains(variable);
        }
        return COMMAND.matcher(a.text()).replaceAll(" ").indexOf(variable.charAt(0)) < 0;
    }
}
