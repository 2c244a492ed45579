package org.prefopt.rewards.equivalence;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.prefopt.rewards.equivalence.AnswerStructure.Atom;
import org.prefopt.rewards.equivalence.AnswerStructure.Matrix;
import org.prefopt.rewards.equivalence.AnswerStructure.Op;
import org.prefopt.rewards.equivalence.AnswerStructure.Ordered;
import org.prefopt.rewards.equivalence.AnswerStructure.Relation;
import org.prefopt.rewards.equivalence.AnswerStructure.Unordered;

/**
 * Decides whether an extracted answer and a gold answer are the same answer. In order: normalise both
 * ({@link LatexNormalizer}); identical strings are equal; compare structure (tuples, intervals, sets, matrices,
 * relations) element by element, a one-variable relation also as its intervals; an equation against a value
 * compares its last side; plain numbers are compared as exact rationals and that decides; other expressions go
 * to the CAS ({@link SymjaCas}) within the remaining time. Thread-safe; never throws; every outcome is counted in
 * {@link #stats()}.
 */
public final class EquivalenceChecker {

    private static final Pattern SIMPLE_LHS = Pattern.compile("^([a-zA-Z](?:_\\{?[a-zA-Z0-9]+\\}?)?|\\\\[a-zA-Z]+)=(.*)$");
    private static final Pattern WORD = Pattern.compile("[a-zA-Z]{3,}");
    private static final int CACHE_LIMIT = 20_000;

    private final EquivalenceOptions options;
    private final EquivalenceStats stats = new EquivalenceStats();
    private final Map<String, Verdict> cache = new ConcurrentHashMap<>();

    public EquivalenceChecker(EquivalenceOptions options) {
        this.options = options;
        if (options.symbolic()) {
            SymjaCas.get().warmUp();
        }
    }

    public EquivalenceOptions options() {
        return options;
    }

    public EquivalenceStats stats() {
        return stats;
    }

    /** Whether {@code gold} can be judged at all: non-empty, within the size limit, and (numeric mode) a number. */
    public boolean isUsableGold(String gold) {
        if (gold == null || gold.isBlank() || gold.length() > options.maxChars()) {
            return false;
        }
        String g = LatexNormalizer.normalize(gold);
        if (g.isEmpty()) {
            return false;
        }
        return options.symbolic() || NumberParser.parse(stripLhs(g)).isPresent();
    }

    public Verdict check(String answer, String gold) {
        Verdict v;
        try {
            v = compareTop(answer, gold);
        } catch (RuntimeException | StackOverflowError e) {
            v = Verdict.no(Reason.CAS_ERROR, "internal error " + e.getClass().getSimpleName());
        }
        stats.record(v.reason());
        return v;
    }

    private Verdict compareTop(String answer, String gold) {
        if (answer == null || answer.isBlank()) {
            return Verdict.no(Reason.EMPTY);
        }
        if (answer.length() > options.maxChars() || gold == null || gold.length() > options.maxChars()) {
            return Verdict.no(Reason.TOO_LARGE, "limit " + options.maxChars() + " characters");
        }
        String a = LatexNormalizer.normalize(answer);
        String g = LatexNormalizer.normalize(gold);
        if (a.isEmpty()) {
            return Verdict.no(Reason.EMPTY, "nothing left after normalisation");
        }
        if (a.equals(g)) {
            return Verdict.yes(Reason.IDENTICAL);
        }
        String key = a + '\u0000' + g;
        Verdict cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
        Verdict v;
        try {
            v = compare(AnswerStructure.parse(a), AnswerStructure.parse(g), deadline);
        } catch (AnswerStructure.TooLarge e) {
            v = Verdict.no(Reason.TOO_LARGE, e.getMessage());
        }
        if (!v.reason().isFailure()) {
            if (cache.size() > CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(key, v);
        }
        return v;
    }

    private Verdict compare(AnswerStructure a, AnswerStructure g, long deadline) {
        if (a instanceof Atom x && g instanceof Atom y) {
            return scalar(x.text(), y.text(), deadline);
        }
        if (a instanceof Ordered x && g instanceof Ordered y) {
            if (x.open() != y.open() || x.close() != y.close()) {
                return Verdict.no(Reason.DIFFERENT_STRUCTURE, "brackets " + x.open() + x.close() + " vs " + y.open() + y.close());
            }
            return pairwise(x.elements(), y.elements(), deadline);
        }
        if (a instanceof Unordered x && g instanceof Unordered y) {
            return matching(x.elements(), y.elements(), deadline);
        }
        if (a instanceof Matrix x && g instanceof Matrix y) {
            if (x.rows().size() != y.rows().size()) {
                return Verdict.no(Reason.DIFFERENT_STRUCTURE, "row count");
            }
            Verdict last = Verdict.yes(Reason.EQUAL_STRUCTURE);
            for (int i = 0; i < x.rows().size(); i++) {
                last = pairwise(x.rows().get(i), y.rows().get(i), deadline);
                if (!last.equal()) {
                    return last;
                }
            }
            return Verdict.yes(Reason.EQUAL_STRUCTURE);
        }
        if (a instanceof Relation x && g instanceof Relation y) {
            return relations(x, y, deadline);
        }
        // "(a,b)=(2,12)" against the tuple "(2,12)": an equation's last side is the answer's value.
        if (a instanceof Atom x && !(g instanceof Atom) && !lastSide(x.text()).equals(x.text())) {
            try {
                return compare(AnswerStructure.parse(lastSide(x.text())), g, deadline);
            } catch (AnswerStructure.TooLarge e) {
                return Verdict.no(Reason.TOO_LARGE, e.getMessage());
            }
        }
        // "x>5" against "(5,\infty)", "x\neq 3" against "(-\infty,3)\cup(3,\infty)": the same set of values.
        if (a instanceof Relation x && (g instanceof Ordered || g instanceof Unordered)) {
            Optional<AnswerStructure> intervals = RelationIntervals.of(x);
            if (intervals.isPresent()) {
                return compare(intervals.get(), g, deadline);
            }
        }
        if (g instanceof Relation y && (a instanceof Ordered || a instanceof Unordered)) {
            Optional<AnswerStructure> intervals = RelationIntervals.of(y);
            if (intervals.isPresent()) {
                return compare(a, intervals.get(), deadline);
            }
        }
        // A one-element collection against a single value ("{5}" vs "5") is the same answer.
        if (a instanceof Unordered x && x.elements().size() == 1) {
            return compare(x.elements().get(0), g, deadline);
        }
        if (g instanceof Unordered y && y.elements().size() == 1) {
            return compare(a, y.elements().get(0), deadline);
        }
        return Verdict.no(Reason.DIFFERENT_STRUCTURE, kind(a) + " vs " + kind(g));
    }

    private static String kind(AnswerStructure s) {
        if (s instanceof Ordered o) {
            return "an ordered " + o.open() + o.close() + " of " + o.elements().size();
        }
        if (s instanceof Unordered u) {
            return "an unordered list of " + u.elements().size();
        }
        if (s instanceof Relation r) {
            return "a relation with " + r.ops().size() + " symbol(s)";
        }
        return s instanceof Matrix ? "a matrix" : "a single value";
    }

    /**
     * Two direction-normalised relations: the same symbols and equal sides in order ({@code \neq} either way
     * round); for one symbol, also equal differences ({@code x+1<5} is {@code x-4<0} is {@code x<4}).
     */
    private Verdict relations(Relation x, Relation y, long deadline) {
        if (!x.ops().equals(y.ops())) {
            return Verdict.no(Reason.DIFFERENT_STRUCTURE, "different relation symbols");
        }
        Verdict sides = pairwise(x.sides(), y.sides(), deadline);
        if (sides.equal() || sides.reason().isFailure() || x.ops().size() > 1) {
            return sides.equal() ? Verdict.yes(Reason.EQUAL_RELATION) : sides;
        }
        boolean symmetric = x.ops().get(0) == Op.NE;
        if (symmetric && pairwise(x.sides(), List.of(y.sides().get(1), y.sides().get(0)), deadline).equal()) {
            return Verdict.yes(Reason.EQUAL_RELATION);
        }
        if (x.sides().get(0) instanceof Atom xl && x.sides().get(1) instanceof Atom xr
                && y.sides().get(0) instanceof Atom yl && y.sides().get(1) instanceof Atom yr) {
            return differences(xl.text(), xr.text(), yl.text(), yr.text(), symmetric, deadline);
        }
        return sides;
    }

    /** Whether {@code a-b} equals {@code c-d} (or, when {@code eitherSign}, {@code d-c}): the same relation. */
    private Verdict differences(String a, String b, String c, String d, boolean eitherSign, long deadline) {
        String left = "(" + a + ")-(" + b + ")";
        Verdict v = scalar(left, "(" + c + ")-(" + d + ")", deadline);
        if (!v.equal() && eitherSign && !v.reason().isFailure()) {
            v = scalar(left, "(" + d + ")-(" + c + ")", deadline);
        }
        return v.equal() ? Verdict.yes(Reason.EQUAL_RELATION) : v;
    }

    private Verdict pairwise(List<AnswerStructure> x, List<AnswerStructure> y, long deadline) {
        if (x.size() != y.size()) {
            return Verdict.no(Reason.DIFFERENT_STRUCTURE, x.size() + " vs " + y.size() + " elements");
        }
        for (int i = 0; i < x.size(); i++) {
            Verdict v = compare(x.get(i), y.get(i), deadline);
            if (!v.equal()) {
                return v.reason().isFailure() ? v : Verdict.no(Reason.DIFFERENT_STRUCTURE, "element " + (i + 1) + " differs");
            }
        }
        return Verdict.yes(Reason.EQUAL_STRUCTURE);
    }

    /** A perfect matching between the two collections (backtracking; sizes are capped). */
    private Verdict matching(List<AnswerStructure> x, List<AnswerStructure> y, long deadline) {
        if (x.size() != y.size()) {
            return Verdict.no(Reason.DIFFERENT_STRUCTURE, x.size() + " vs " + y.size() + " elements");
        }
        int n = x.size();
        Boolean[][] eq = new Boolean[n][n];
        Reason[] failure = new Reason[1];
        int[] assignedTo = new int[n];
        java.util.Arrays.fill(assignedTo, -1);
        for (int i = 0; i < n; i++) {
            if (!augment(i, x, y, eq, assignedTo, new boolean[n], deadline, failure)) {
                return failure[0] != null
                        ? Verdict.no(failure[0], "while matching unordered elements")
                        : Verdict.no(Reason.DIFFERENT_STRUCTURE, "unordered elements do not match");
            }
        }
        return Verdict.yes(Reason.EQUAL_STRUCTURE);
    }

    private boolean augment(int i, List<AnswerStructure> x, List<AnswerStructure> y, Boolean[][] eq, int[] assignedTo,
                            boolean[] seen, long deadline, Reason[] failure) {
        for (int j = 0; j < y.size(); j++) {
            if (seen[j]) {
                continue;
            }
            if (eq[i][j] == null) {
                Verdict v = compare(x.get(i), y.get(j), deadline);
                if (v.reason().isFailure()) {
                    failure[0] = v.reason();
                }
                eq[i][j] = v.equal();
            }
            if (!eq[i][j]) {
                continue;
            }
            seen[j] = true;
            if (assignedTo[j] < 0 || augment(assignedTo[j], x, y, eq, assignedTo, seen, deadline, failure)) {
                assignedTo[j] = i;
                return true;
            }
        }
        return false;
    }

    private Verdict scalar(String a, String g, long deadline) {
        if (a.isEmpty()) {
            return Verdict.no(Reason.EMPTY);
        }
        if (a.equals(g)) {
            return Verdict.yes(Reason.IDENTICAL);
        }
        boolean aEq = a.indexOf('=') >= 0;
        boolean gEq = g.indexOf('=') >= 0;
        if (aEq != gEq) {
            // An equation against a value: the answer's last side is its value ("k=\frac{1}{3}", "2+3=5", as
            // Math-Verify reads it); a gold equation only loses a single-variable left side ("y=2x+1" vs "2x+1").
            a = aEq ? lastSide(a) : a;
            g = gEq ? stripLhs(g) : g;
            if (a.equals(g)) {
                return Verdict.yes(Reason.IDENTICAL);
            }
        }
        Optional<Rational> ra = NumberParser.parse(a);
        Optional<Rational> rg = NumberParser.parse(g);
        if (ra.isPresent() && rg.isPresent()) {
            return ra.get().equals(rg.get())
                    ? Verdict.yes(Reason.EQUAL_AS_RATIONALS)
                    : Verdict.no(Reason.DIFFERENT_NUMBERS, ra.get() + " vs " + rg.get());
        }
        if (WORD.matcher(a).matches() && a.equalsIgnoreCase(g)) {
            return Verdict.yes(Reason.IDENTICAL);
        }
        if (!options.symbolic()) {
            return Verdict.no(Reason.DIFFERENT_TEXT, ra.isEmpty() ? "answer is not a number" : "gold is not a number");
        }
        if (aEq && gEq) {
            // Two equations: compare their sides in order ("y=2x+1" vs "y=1+2x").
            Matcher ma = SIMPLE_LHS.matcher(a);
            Matcher mg = SIMPLE_LHS.matcher(g);
            if (ma.matches() && mg.matches() && ma.group(1).equals(mg.group(1))) {
                return scalar(ma.group(2), mg.group(2), deadline);
            }
            // Otherwise two equations are the same when their sides differ by the same expression, up to sign
            // ("34x+45y=100" is "-34x-45y+100=0").
            List<String> sa = AnswerStructure.split(a, "=");
            List<String> sg = AnswerStructure.split(g, "=");
            if (sa.size() == 2 && sg.size() == 2 && Stream.concat(sa.stream(), sg.stream()).noneMatch(String::isEmpty)) {
                Verdict v = differences(sa.get(0), sa.get(1), sg.get(0), sg.get(1), true, deadline);
                return v.equal() || v.reason().isFailure() ? v : Verdict.no(Reason.DIFFERENT_TEXT, "equations differ");
            }
            return Verdict.no(Reason.DIFFERENT_TEXT, "equations differ");
        }
        if (WORD.matcher(a.toLowerCase(Locale.ROOT)).matches() && WORD.matcher(g.toLowerCase(Locale.ROOT)).matches()) {
            return Verdict.no(Reason.DIFFERENT_TEXT);
        }
        String[] why = new String[1];
        Optional<String> ca = CasGuard.prepare(a, why);
        if (ca.isEmpty()) {
            return Verdict.no(Reason.CAS_REJECTED, "answer " + why[0]);
        }
        Optional<String> cg = CasGuard.prepare(g, why);
        if (cg.isEmpty()) {
            return Verdict.no(Reason.CAS_REJECTED, "gold " + why[0]);
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return Verdict.no(Reason.CAS_TIMEOUT);
        }
        boolean numericFallback = !CasGuard.hasDecimal(a) && !CasGuard.hasDecimal(g);
        Reason r = SymjaCas.get().equal(ca.get(), cg.get(), numericFallback, left);
        return r == Reason.EQUAL_SYMBOLICALLY ? Verdict.yes(r) : Verdict.no(r);
    }

    /** The text after the last "=" outside brackets ("k=\\frac{1}{3}" gives "\\frac{1}{3}"); unchanged if that is empty. */
    private static String lastSide(String s) {
        List<String> sides = AnswerStructure.split(s, "=");
        String last = sides.get(sides.size() - 1);
        return last.isEmpty() ? s : last;
    }

    /** "x=5" becomes "5" when the left side is a single variable. */
    private static String stripLhs(String s) {
        Matcher m = SIMPLE_LHS.matcher(s);
        return m.matches() && m.group(2).indexOf('=') < 0 ? m.group(2) : s;
    }
}
