package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptKey;
import org.prefopt.datasets.split.ProblemSpaceSplit;
import org.prefopt.datasets.split.SplitSide;
import org.prefopt.datasets.numeric.NumericAnswer;
import org.prefopt.datasets.synthetic.ArithmeticGenerator;
import org.prefopt.datasets.synthetic.Style;
import org.prefopt.datasets.synthetic.SyntheticArithmeticDataset;

/**
 * Checks every generated problem by solving it independently: the prompt is parsed (expression with precedence and
 * parentheses, or one sentence per operation, or fraction terms, or linear terms) and evaluated here, then compared
 * with the gold answer; every solution line {@code a op b = c} is recomputed too.
 */
class SyntheticArithmeticTest {

    private static List<Example> generate(long seed, Style style, int count) {
        return Fixtures.read(new SyntheticArithmeticDataset(new ArithmeticGenerator(seed, style, 1, 5, 0.2, 0.1),
                count, "t"));
    }

    @Test
    void sameSeedSameRecordsAndPrefixStable() {
        List<Example> a = generate(7, Style.MATH, 300);
        assertEquals(a, generate(7, Style.MATH, 300));
        assertEquals(a.subList(0, 100), generate(7, Style.MATH, 100));
        List<Example> b = generate(8, Style.MATH, 300);
        assertNotEquals(a.stream().map(Example::prompt).toList(), b.stream().map(Example::prompt).toList());
    }

    @Test
    void gsm8kStyleAnswersAreCorrect() {
        List<Example> ex = generate(1, Style.GSM8K, 3000);
        Map<Integer, Integer> perLevel = new TreeMap<>();
        for (Example e : ex) {
            perLevel.merge(e.difficulty(), 1, Integer::sum);
            assertEquals(ArithmeticGenerator.SUBJECT_ARITHMETIC, e.subject(), e.prompt());
            long expected = solveArithmetic(e);
            assertEquals(Long.toString(expected), e.goldAnswer(), e.prompt());
            String[] lines = e.referenceSolution().split("\n");
            assertEquals("#### " + expected, lines[lines.length - 1]);
            assertEquals(e.difficulty(), lines.length - 1, "one solution line per operation: " + e);
            checkSteps(lines, expected);
        }
        assertEquals(Map.of(1, 600, 2, 600, 3, 600, 4, 600, 5, 600), perLevel);
    }

    @Test
    void mathStyleAnswersAreCorrectAndSomeAreNotNumeric() {
        List<Example> ex = generate(3, Style.MATH, 3000);
        int fractions = 0;
        int expressions = 0;
        for (Example e : ex) {
            String last = lastLine(e.referenceSolution());
            assertEquals("\\boxed{" + e.goldAnswer() + "}", last);
            switch (e.subject()) {
                case ArithmeticGenerator.SUBJECT_ARITHMETIC -> {
                    long v = solveArithmetic(e);
                    assertEquals(Long.toString(v), e.goldAnswer());
                    String[] lines = e.referenceSolution().split("\n");
                    checkSteps(lines, v);
                }
                case ArithmeticGenerator.SUBJECT_FRACTIONS -> {
                    fractions++;
                    BigInteger[] f = solveFractions(e.prompt());
                    assertEquals("\\frac{" + f[0] + "}{" + f[1] + "}", e.goldAnswer(), e.prompt());
                    NumericAnswer n = NumericAnswer.parse(e.goldAnswer()).orElseThrow();
                    assertEquals(NumericAnswer.Kind.FRACTION, n.kind());
                    assertNotEquals(BigInteger.ONE, n.denominator(), "not an integer in disguise");
                }
                case ArithmeticGenerator.SUBJECT_ALGEBRA -> {
                    expressions++;
                    long[] ab = solveLinear(e.prompt().substring("Simplify ".length(), e.prompt().length() - 1));
                    long[] got = solveLinear(e.goldAnswer());
                    assertEquals(ab[0], got[0], e.prompt() + " -> " + e.goldAnswer());
                    assertEquals(ab[1], got[1], e.prompt() + " -> " + e.goldAnswer());
                    assertNotEquals(0, ab[0]);
                    assertTrue(NumericAnswer.parse(e.goldAnswer()).isEmpty(), e.goldAnswer());
                }
                default -> fail(e.subject());
            }
        }
        // Shares 0.2 and 0.1 of 3000 records; binomial spread is about +-22 and +-16.
        assertTrue(Math.abs(expressions - 600) < 100, "expressions " + expressions);
        assertTrue(Math.abs(fractions - 300) < 80, "fractions " + fractions);
    }

    @Test
    void levelsGrowInLengthAndSize() {
        List<Example> ex = generate(5, Style.GSM8K, 2000);
        double[] meanLength = new double[6];
        int[] n = new int[6];
        for (Example e : ex) {
            meanLength[e.difficulty()] += e.prompt().length() + e.referenceSolution().length();
            n[e.difficulty()]++;
            if (e.difficulty() == 1) {
                assertTrue(e.prompt().matches("What is [1-9] [+-] [1-9]\\?"), e.prompt());
            }
        }
        for (int l = 2; l <= 5; l++) {
            assertTrue(meanLength[l] / n[l] > meanLength[l - 1] / n[l - 1], "level " + l + " longer than " + (l - 1));
        }
        assertTrue(meanLength[1] / n[1] <= 32, "level 1 stays tiny (prompt + solution chars): " + meanLength[1] / n[1]);
    }

    @Test
    void expressionFormAtEveryLevelIsStillCorrect() {
        List<Example> ex = Fixtures.read(new SyntheticArithmeticDataset(new ArithmeticGenerator(3, Style.GSM8K, 1, 5, 0,
                0, 6, ProblemSpaceSplit.NONE), 1000, "t"));
        for (Example e : ex) {
            long expected = solveArithmetic(e, 6);
            assertEquals(Long.toString(expected), e.goldAnswer(), e.prompt());
            checkSteps(e.referenceSolution().split("\n"), expected);
        }
    }

    @Test
    void trainAndHeldOutSidesNeverShareAProblemWhateverTheSeeds() {
        Set<String> train = new HashSet<>();
        for (long seed : new long[] {1, 2}) {
            for (Style style : Style.values()) {
                generate(seed, style, 1, 3000, new ProblemSpaceSplit(SplitSide.TRAIN, 0.25))
                        .forEach(e -> train.add(PromptKey.of(e.prompt())));
            }
        }
        List<Example> heldOut = generate(999, Style.GSM8K, 3, 2000,
                new ProblemSpaceSplit(SplitSide.HELD_OUT, 0.25));
        assertEquals(2000, heldOut.size());
        heldOut.forEach(e -> assertFalse(train.contains(PromptKey.of(e.prompt())), "held-out problem trained on: " + e));
        heldOut.forEach(e -> assertTrue(ProblemSpaceSplit.isHeldOut(e.prompt(), 0.25)));
        // the split follows the problem: level 1 has 126 problems, about a quarter of them held out
        Set<String> level1 = new HashSet<>();
        generate(5, Style.GSM8K, 3, 5000, ProblemSpaceSplit.NONE).stream().filter(e -> e.difficulty() == 1)
                .forEach(e -> level1.add(e.prompt()));
        assertEquals(126, level1.size());
        long held = level1.stream().filter(p -> ProblemSpaceSplit.isHeldOut(p, 0.25)).count();
        assertTrue(held > 15 && held < 50, "held-out level-1 problems: " + held);
    }

    @Test
    void noSplitKeepsTheRecordsOfBefore() {
        assertEquals(generate(7, Style.MATH, 300), generate(7, Style.MATH, 3, 300, ProblemSpaceSplit.NONE));
    }

    @Test
    void distinctSetsCountNoProblemTwiceAndRunOutPerLevel() {
        ProblemSpaceSplit heldOut = new ProblemSpaceSplit(SplitSide.HELD_OUT, 0.25);
        List<Example> ex = Fixtures.read(new SyntheticArithmeticDataset(new ArithmeticGenerator(999, Style.GSM8K, 1, 4,
                0, 0, 6, heldOut), 400, true, "t"));
        assertEquals(400, ex.size());
        Set<String> keys = new HashSet<>();
        ex.forEach(e -> assertTrue(keys.add(PromptKey.of(e.prompt())), "twice: " + e.prompt()));
        long level1 = ex.stream().filter(e -> e.difficulty() == 1).count();
        long held = java.util.stream.IntStream.rangeClosed(1, 9).boxed()
                .flatMap(a -> java.util.stream.Stream.of("+", "-").flatMap(op -> java.util.stream.IntStream
                        .rangeClosed(1, 9).mapToObj(b -> "What is " + a + " " + op + " " + b + "?")))
                .filter(p -> !p.contains("-") || p.charAt(8) >= p.charAt(12))
                .filter(p -> ProblemSpaceSplit.isHeldOut(p, 0.25)).count();
        assertEquals(held, level1, "every held-out level-1 problem once, no more");
        assertTrue(ex.stream().filter(e -> e.difficulty() == 2).count() > 90);
    }

    @Test
    void aLevelWithNoProblemOnItsSideFailsWithTheLevelAndWhatToChange() {
        ArithmeticGenerator g = new ArithmeticGenerator(1, Style.GSM8K, 1, 1, 0, 0, 3,
                new ProblemSpaceSplit(SplitSide.HELD_OUT, 1e-9));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.example(0));
        assertEquals("synthetic-arithmetic: no level-1 problem on the held-out side of the split after 100000 draws;"
                + " change held-out-share or the levels", e.getMessage());
    }

    private static List<Example> generate(long seed, Style style, int wordProblemsFrom, int count,
                                          ProblemSpaceSplit split) {
        return Fixtures.read(new SyntheticArithmeticDataset(new ArithmeticGenerator(seed, style, 1, 5, 0.2, 0.1,
                wordProblemsFrom, split), count, "t"));
    }

    // ---- independent solvers ---------------------------------------------------------------------------------

    private static final Pattern START = Pattern.compile("(\\w+) has (\\d+) (\\w+)\\.");
    private static final Map<Pattern, Character> SENTENCES = Map.of(
            Pattern.compile("\\w+ (?:buys|finds|gets) (\\d+) more\\."), '+',
            Pattern.compile("\\w+ (?:gives away|loses|sells) (\\d+)\\."), '-',
            Pattern.compile("Then \\w+ has (\\d+) times as many\\."), '*',
            Pattern.compile("\\w+ splits them into (\\d+) equal groups and keeps one group\\."), '/');

    private static long solveArithmetic(Example e) {
        return solveArithmetic(e, 3);
    }

    private static long solveArithmetic(Example e, int wordProblemsFrom) {
        String p = e.prompt();
        assertEquals(e.difficulty() < wordProblemsFrom, p.startsWith("What is "), p);
        if (p.startsWith("What is ")) {
            Expr x = new Expr(p.substring(8, p.length() - 1));
            long v = x.sum();
            assertEquals(x.s.length(), x.i, "whole expression parsed: " + p);
            assertEquals(e.difficulty(), x.ops, "operations = level: " + p);
            return v;
        }
        String[] parts = p.split("(?<=\\.) ");
        Matcher m = START.matcher(parts[0]);
        assertTrue(m.matches(), p);
        long v = Long.parseLong(m.group(2));
        int ops = 0;
        for (int i = 1; i < parts.length - 1; i++) {
            boolean matched = false;
            for (Map.Entry<Pattern, Character> s : SENTENCES.entrySet()) {
                Matcher sm = s.getKey().matcher(parts[i]);
                if (sm.matches()) {
                    v = apply(v, s.getValue(), Long.parseLong(sm.group(1)));
                    matched = true;
                    ops++;
                }
            }
            assertTrue(matched, "unknown sentence '" + parts[i] + "' in " + p);
        }
        assertTrue(parts[parts.length - 1].matches("How many " + m.group(3) + " does " + m.group(1) + " have now\\?"));
        assertEquals(e.difficulty(), ops, p);
        return v;
    }

    private static long apply(long v, char op, long b) {
        long r = switch (op) {
            case '+' -> v + b;
            case '-' -> v - b;
            case '*' -> v * b;
            default -> {
                assertEquals(0, v % b, "exact division");
                yield v / b;
            }
        };
        assertTrue(r >= 0, "never negative");
        return r;
    }

    private static void checkSteps(String[] lines, long expected) {
        Pattern step = Pattern.compile("(\\d+) ([-+*/]) (\\d+) = (\\d+)");
        long last = -1;
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher m = step.matcher(lines[i]);
            assertTrue(m.matches(), lines[i]);
            long a = Long.parseLong(m.group(1));
            if (i > 0) {
                assertEquals(last, a, "each step continues from the previous result");
            }
            last = apply(a, m.group(2).charAt(0), Long.parseLong(m.group(3)));
            assertEquals(last, Long.parseLong(m.group(4)), lines[i]);
        }
        assertEquals(expected, last);
    }

    /** Recursive descent with precedence: sum := product (('+'|'-') product)*; product := atom (('*'|'/') atom)*. */
    private static final class Expr {
        final String s;
        int i;
        int ops;

        Expr(String s) {
            this.s = s.replace(" ", "");
        }

        long sum() {
            long v = product();
            while (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                char op = s.charAt(i++);
                ops++;
                v = op == '+' ? v + product() : v - product();
            }
            return v;
        }

        long product() {
            long v = atom();
            while (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
                char op = s.charAt(i++);
                ops++;
                long b = atom();
                v = op == '*' ? v * b : v / b;
            }
            return v;
        }

        long atom() {
            if (s.charAt(i) == '(') {
                i++;
                long v = sum();
                assertEquals(')', s.charAt(i++));
                return v;
            }
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            return Long.parseLong(s.substring(start, i));
        }
    }

    private static BigInteger[] solveFractions(String prompt) {
        Matcher m = Pattern.compile("(\\d+)/(\\d+)").matcher(prompt);
        BigInteger num = BigInteger.ZERO;
        BigInteger den = BigInteger.ONE;
        int terms = 0;
        while (m.find()) {
            BigInteger n = new BigInteger(m.group(1));
            BigInteger d = new BigInteger(m.group(2));
            num = num.multiply(d).add(n.multiply(den));
            den = den.multiply(d);
            terms++;
        }
        assertTrue(terms >= 2, prompt);
        BigInteger g = num.gcd(den);
        return new BigInteger[] {num.divide(g), den.divide(g)};
    }

    /** Coefficient of x and constant of a sum of terms like {@code 3x - 2 + x}. */
    private static long[] solveLinear(String expr) {
        List<String> tokens = new ArrayList<>(List.of(expr.replace("- ", "-").replace("+ ", "+").split(" ")));
        long a = 0;
        long b = 0;
        for (String t : tokens) {
            long sign = t.startsWith("-") ? -1 : 1;
            String body = t.replaceFirst("^[+-]", "");
            if (body.endsWith("x")) {
                String c = body.substring(0, body.length() - 1);
                a += sign * (c.isEmpty() ? 1 : Long.parseLong(c));
            } else {
                b += sign * Long.parseLong(body);
            }
        }
        return new long[] {a, b};
    }

    private static String lastLine(String s) {
        return s.substring(s.lastIndexOf('\n') + 1);
    }
}
