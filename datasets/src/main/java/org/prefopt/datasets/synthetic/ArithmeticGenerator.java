package org.prefopt.datasets.synthetic;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.random.SplitMix64;
import org.prefopt.datasets.split.ProblemSpaceSplit;

/**
 * Deterministic graded arithmetic problems with step-by-step solutions.
 *
 * <p>Level L has L operations applied left to right to a starting number; the number range grows with the level
 * (L1: single digits, {@code + -}; L2: up to 20, {@code + - *}; L3: up to 50; L4: up to 100, also {@code /};
 * L5: up to 1000). Levels below {@code wordProblemsFrom} (default 3) are bare expressions ("What is 3 + 4?"), the
 * others short word problems with one sentence per operation. Every intermediate result is a non-negative integer (subtraction never goes below zero,
 * division is exact). Each solution line is one operation {@code a op b = c}; the last line states the answer in
 * the chosen {@link Style}.
 *
 * <p>In MATH style a share of records have non-integer answers: sums of fractions ({@code \frac{a}{b}}, numeric
 * under the numeric-answer definition) and linear expressions to simplify ({@code 5x + 4}, not numeric).
 *
 * <p>With a {@link ProblemSpaceSplit}, a record is drawn again (from the same seeded stream) until its problem lies
 * on the wanted side, so a train-side and a held-out-side generator never share a problem, whatever their seeds.
 *
 * <p>Record {@code i} depends only on {@code (seed, i)} and the settings, so a larger {@code count} extends a smaller
 * one.
 */
public final class ArithmeticGenerator {

    public static final String SUBJECT_ARITHMETIC = "arithmetic";
    public static final String SUBJECT_FRACTIONS = "fractions";
    public static final String SUBJECT_ALGEBRA = "algebra";

    private static final int[] MAX_NUMBER = {0, 9, 20, 50, 100, 1000};
    private static final int[] MAX_FACTOR = {0, 1, 5, 5, 9, 9};
    /** Keeps answers short enough for a tiny model to write. */
    private static final long MAX_VALUE = 99_999;

    private static final String[] NAMES = {"Ann", "Ben", "Cal", "Dee", "Eve", "Finn", "Gus", "Hal", "Ivy", "Jo"};
    private static final String[] ITEMS = {"apples", "books", "coins", "pens", "cards", "shells", "stamps", "eggs"};
    private static final String[] ADD = {"%s buys %d more.", "%s finds %d more.", "%s gets %d more."};
    private static final String[] SUB = {"%s gives away %d.", "%s loses %d.", "%s sells %d."};
    private static final String MUL = "Then %s has %d times as many.";
    private static final String DIV = "%s splits them into %d equal groups and keeps one group.";

    private final long seed;
    private final Style style;
    private final int minLevel;
    private final int maxLevel;
    private final double nonNumericShare;
    private final double fractionShare;
    private final int wordProblemsFrom;
    private final ProblemSpaceSplit split;

    /** Draws before a level is declared empty on the wanted side of the split. */
    private static final int MAX_DRAWS = 100_000;

    public ArithmeticGenerator(long seed, Style style, int minLevel, int maxLevel, double nonNumericShare,
                               double fractionShare) {
        this(seed, style, minLevel, maxLevel, nonNumericShare, fractionShare, 3, ProblemSpaceSplit.NONE);
    }

    /**
     * @param wordProblemsFrom the first level written as a word problem (6: none)
     * @param split            which side of the problem space to draw from
     */
    public ArithmeticGenerator(long seed, Style style, int minLevel, int maxLevel, double nonNumericShare,
                               double fractionShare, int wordProblemsFrom, ProblemSpaceSplit split) {
        if (minLevel < 1 || maxLevel > 5 || minLevel > maxLevel) {
            throw new IllegalArgumentException("levels must satisfy 1 <= min-level <= max-level <= 5 (got "
                    + minLevel + ".." + maxLevel + ")");
        }
        this.seed = seed;
        this.style = style;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.nonNumericShare = style == Style.MATH ? nonNumericShare : 0;
        this.fractionShare = style == Style.MATH ? fractionShare : 0;
        this.wordProblemsFrom = wordProblemsFrom;
        this.split = split;
    }

    /** Record {@code index}: level cycles through the range so tiers are balanced. */
    public Example example(long index) {
        int level = minLevel + (int) (index % (maxLevel - minLevel + 1));
        SplitMix64 rnd = SplitMix64.forItem(seed, index);
        Problem p = draw(level, rnd);
        for (int draws = 1; !split.contains(p.prompt); draws++) {
            if (draws == MAX_DRAWS) {
                throw new IllegalStateException("synthetic-arithmetic: no level-" + level + " problem on the "
                        + split.side().configName() + " side of the split after " + MAX_DRAWS
                        + " draws; change held-out-share or the levels");
            }
            p = draw(level, rnd);
        }
        String solution = String.join("\n", p.steps) + "\n" + style.finalLine(p.answerLatex);
        String id = "synthetic-" + seed + "-" + index;
        return new Example(id, p.prompt, p.answerLatex, solution, level, p.subject,
                "synthetic-arithmetic(seed=" + seed + ")#" + index, Map.of());
    }

    private Problem draw(int level, SplitMix64 rnd) {
        double kind = rnd.nextDouble();
        if (kind < nonNumericShare) {
            return expression(level, rnd);
        } else if (kind < nonNumericShare + fractionShare) {
            return fractions(level, rnd);
        }
        return arithmetic(level, rnd);
    }

    private record Problem(String prompt, List<String> steps, String answerLatex, String subject) {
    }

    // ---- integer arithmetic -------------------------------------------------------------------------------

    private Problem arithmetic(int level, SplitMix64 rnd) {
        int max = MAX_NUMBER[level];
        long value = rnd.between(level == 1 ? 1 : 2, max);
        StringBuilder expr = new StringBuilder(Long.toString(value));
        boolean exprHasAdditive = false;
        List<String> steps = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        String name = NAMES[rnd.nextInt(NAMES.length)];
        String items = ITEMS[rnd.nextInt(ITEMS.length)];
        sentences.add(name + " has " + value + " " + items + ".");
        for (int op = 0; op < level; op++) {
            char o = chooseOp(level, value, rnd);
            long b;
            long next;
            switch (o) {
                case '+' -> {
                    b = rnd.between(1, max);
                    next = value + b;
                }
                case '-' -> {
                    b = rnd.between(1, (int) Math.min(value, max));
                    next = value - b;
                }
                case '*' -> {
                    b = rnd.between(2, MAX_FACTOR[level]);
                    next = value * b;
                }
                default -> {
                    List<Integer> divisors = divisors(value, MAX_FACTOR[level]);
                    b = divisors.get(rnd.nextInt(divisors.size()));
                    next = value / b;
                }
            }
            steps.add(value + " " + o + " " + b + " = " + next);
            if ((o == '*' || o == '/') && exprHasAdditive) {
                expr.insert(0, '(').append(')');
                exprHasAdditive = false;
            }
            expr.append(' ').append(o).append(' ').append(b);
            exprHasAdditive |= o == '+' || o == '-';
            String template = switch (o) {
                case '+' -> ADD[rnd.nextInt(ADD.length)];
                case '-' -> SUB[rnd.nextInt(SUB.length)];
                case '*' -> MUL;
                default -> DIV;
            };
            sentences.add(String.format(java.util.Locale.ROOT, template, name, b));
            value = next;
        }
        String prompt = level < wordProblemsFrom ? "What is " + expr + "?"
                : String.join(" ", sentences) + " How many " + items + " does " + name + " have now?";
        return new Problem(prompt, steps, Long.toString(value), SUBJECT_ARITHMETIC);
    }

    private static char chooseOp(int level, long value, SplitMix64 rnd) {
        List<Character> ops = new ArrayList<>(List.of('+'));
        if (value >= 1) {
            ops.add('-');
        }
        if (level >= 2 && value * MAX_FACTOR[level] <= MAX_VALUE && value > 0) {
            ops.add('*');
        }
        if (level >= 4 && !divisors(value, MAX_FACTOR[level]).isEmpty()) {
            ops.add('/');
        }
        if (level >= 2 && value + MAX_NUMBER[level] > MAX_VALUE) {
            ops.remove(Character.valueOf('+'));
        }
        return ops.get(rnd.nextInt(ops.size()));
    }

    /** Divisors of {@code value} in {@code 2..maxFactor}; empty for values below 2. */
    private static List<Integer> divisors(long value, int maxFactor) {
        List<Integer> out = new ArrayList<>();
        for (int d = 2; d <= maxFactor && value >= 2; d++) {
            if (value % d == 0) {
                out.add(d);
            }
        }
        return out;
    }

    // ---- fractions (numeric, non-integer) ---------------------------------------------------------------------

    private Problem fractions(int level, SplitMix64 rnd) {
        int terms = Math.min(level + 1, 4);
        int maxDen = 3 + level * 2;
        while (true) {
            BigInteger num = BigInteger.ZERO;
            BigInteger den = BigInteger.ONE;
            List<String> shown = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            for (int t = 0; t < terms; t++) {
                int d = rnd.between(2, maxDen);
                int n = rnd.between(1, d - 1);
                shown.add(n + "/" + d);
                BigInteger nn = num.multiply(BigInteger.valueOf(d)).add(BigInteger.valueOf(n).multiply(den));
                BigInteger dd = den.multiply(BigInteger.valueOf(d));
                BigInteger g = nn.gcd(dd);
                String before = t == 0 ? null : fraction(num, den);
                num = nn.divide(g);
                den = dd.divide(g);
                if (before != null) {
                    steps.add(before + " + " + n + "/" + d + " = " + fraction(num, den));
                }
            }
            if (den.equals(BigInteger.ONE)) {
                continue; // an integer sum would not be a fraction problem; draw again (deterministically)
            }
            String prompt = "What is " + String.join(" + ", shown) + "? Give the answer as a fraction in lowest terms.";
            return new Problem(prompt, steps, "\\frac{" + num + "}{" + den + "}", SUBJECT_FRACTIONS);
        }
    }

    private static String fraction(BigInteger num, BigInteger den) {
        return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
    }

    // ---- linear expressions (not numeric) ---------------------------------------------------------------------

    private Problem expression(int level, SplitMix64 rnd) {
        int terms = level + 1;
        int max = Math.min(MAX_NUMBER[level], 20);
        while (true) {
            long coef = 0;
            long constant = 0;
            StringBuilder shown = new StringBuilder();
            List<String> xTerms = new ArrayList<>();
            List<String> cTerms = new ArrayList<>();
            boolean anyX = false;
            for (int t = 0; t < terms; t++) {
                boolean isX = t == 0 || rnd.nextInt(2) == 0;
                anyX |= isX;
                int v = rnd.between(isX ? 2 : 1, Math.max(3, max));
                boolean minus = t > 0 && rnd.nextInt(3) == 0;
                String term = isX ? v + "x" : Integer.toString(v);
                shown.append(t == 0 ? "" : minus ? " - " : " + ").append(term);
                long signed = minus ? -v : v;
                if (isX) {
                    coef += signed;
                    xTerms.add((minus ? "-" : "") + term);
                } else {
                    constant += signed;
                    cTerms.add((minus ? "-" : "") + term);
                }
            }
            if (coef == 0 || !anyX) {
                continue; // the answer must contain x, or it would be a number
            }
            List<String> steps = new ArrayList<>();
            if (xTerms.size() > 1) {
                steps.add(signedSum(xTerms) + " = " + linear(coef, 0));
            }
            if (cTerms.size() > 1) {
                steps.add(signedSum(cTerms) + " = " + constant);
            }
            String answer = linear(coef, constant);
            steps.add("So the expression is " + answer + ".");
            return new Problem("Simplify " + shown + ".", steps, answer, SUBJECT_ALGEBRA);
        }
    }

    private static String signedSum(List<String> terms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            String t = terms.get(i);
            boolean minus = t.startsWith("-");
            String abs = minus ? t.substring(1) : t;
            sb.append(i == 0 ? (minus ? "-" : "") : minus ? " - " : " + ").append(abs);
        }
        return sb.toString();
    }

    /** {@code ax + b} in the usual notation: {@code x}, {@code -x}, {@code 3x - 4}. */
    static String linear(long coef, long constant) {
        String x = coef == 1 ? "x" : coef == -1 ? "-x" : coef + "x";
        if (constant == 0) {
            return x;
        }
        return x + (constant > 0 ? " + " + constant : " - " + (-constant));
    }
}
