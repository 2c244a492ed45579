package org.prefopt.rewards;

import java.util.Random;

/** Random and adversarial answer/completion strings for the fuzz tests. */
final class FuzzStrings {

    private static final String[] TOKENS = {
        "\\frac{", "}", "{", "\\sqrt{", "\\sqrt[", "]", "(", ")", "[", "\\{", "\\}", "^", "_", "10^{", "2", "0", "1",
        "9", ".", ",", "-", "+", "*", "/", "=", "x", "y", "\\pi", "\\infty", "\\boxed{", "\\fbox{", "\\boxed ",
        "\\text{", "\\left(", "\\right)", "\\cdot", "\\times", "\\%", "$", "\\$", "^\\circ", "\\cup", "\\pm", "&",
        "\\\\", "\\begin{pmatrix}", "\\end{pmatrix}", "#### ", "The answer is ", "Answer: ", "The final answer is ",
        " ", "\n", "e", "E", "!", "\\sin", "\\log", "\\unknown", "é", "\u0000", "\uFFFF", "\\", "'", "\"", "<think>",
        "</think>", "99999999999999999999", "1e999999", ".5", "\\dfrac", "\\frac12", "|", ";", "?",
        "<", ">", "\\leq ", "\\geq", "\\neq", ">=", "\\(", "\\)", "\\[", "\\]", "$$", " or ", "\\mid ", "x\\in",
        "\u2009", "\u2264", "\u2212", "1 000", "1,\\!000", "AZ2", "2\\frac{1}{2}"};

    private FuzzStrings() {
    }

    /** The i-th fuzz string; every 50th is adversarial, and every {@code bigEvery}-th adversarial one is ~1 MB. */
    static String get(Random r, int i, int bigEvery) {
        if (i % 50 == 0) {
            return adversarial(r, i / 50, bigEvery);
        }
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 200 : 20);
        for (int k = 0; k < n; k++) {
            if (r.nextInt(8) == 0) {
                b.append((char) r.nextInt(0x250));
            } else {
                b.append(TOKENS[r.nextInt(TOKENS.length)]);
            }
        }
        return b.toString();
    }

    private static String adversarial(Random r, int k, int bigEvery) {
        int depth = 50 + r.nextInt(5000);
        boolean big = (k / 16) % bigEvery == 0;
        return switch (k % 16) {
            case 0 -> "\\boxed{" + "\\frac{1}{".repeat(depth) + "2" + "}".repeat(depth) + "}";
            case 1 -> "\\boxed{10^{10^{10}}}";
            case 2 -> "\\boxed{" + "(".repeat(depth) + "1" + ")".repeat(depth) + "}";
            case 3 -> "\\boxed{" + "{".repeat(depth);
            case 4 -> "}".repeat(depth) + "\\boxed{1}" + "{".repeat(depth);
            case 5 -> "\\boxed{2^{2^{2^{2^{2^{2}}}}}}";
            case 6 -> "\\boxed{" + "1,".repeat(depth) + "1}";
            case 7 -> "\\boxed{(" + "x+".repeat(Math.min(depth, 150)) + "1)^{200}}";
            case 8 -> "\\boxed{\\sqrt{" + "\\sqrt{".repeat(Math.min(depth, 100)) + "2" + "}".repeat(Math.min(depth, 100)) + "}}";
            case 9 -> big ? "The answer is " + "9".repeat(1 << 20) : "9".repeat(depth) + "!";
            case 10 -> big
                    ? "x".repeat(1 << 20) + "\\boxed{" + "a".repeat(1000) + "}" : "\\boxed{99999!}";
            // math-mode scanning: many currency dollars with prose, unclosed delimiters, long relation chains
            case 12 -> big ? "$5 and the cat sat ".repeat(1 << 15) + "$\\frac{1}{2}$" : "$1 a b c ".repeat(depth);
            case 13 -> big ? "\\(".repeat(1 << 18) + "$$".repeat(1 << 17) : "\\[ $ \\(".repeat(depth);
            case 14 -> "\\boxed{" + "x<".repeat(Math.min(depth, 300)) + "1}";
            case 15 -> big ? "1 000 ".repeat(1 << 17) : "The answer is " + "1 000,".repeat(depth) + "1";
            default -> "\\boxed{\\begin{pmatrix}" + "1&".repeat(depth % 200) + "1\\\\".repeat(depth % 100) + "\\end{pmatrix}}";
        };
    }
}
