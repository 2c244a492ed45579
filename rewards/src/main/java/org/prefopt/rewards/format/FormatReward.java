package org.prefopt.rewards.format;

import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.extraction.AnswerExtractor;
import org.prefopt.rewards.extraction.AnswerPattern;

/**
 * Rewards the shape of a completion, not its correctness: the fraction of the enabled checks it passes.
 * Checks: a non-empty {@code \boxed{}} answer; exactly one well-ordered pair of think tags (optionally at the very
 * start); the boxed answer after the closing tag.
 */
public final class FormatReward implements RewardFunction {

    /**
     * @param requireBoxed     a non-empty final {@code \boxed{}} must be present
     * @param requireThink     exactly one {@code thinkOpen ... thinkClose} pair, in that order
     * @param thinkAtStart     the open tag must be the first non-blank text
     * @param answerAfterThink the boxed answer must follow the close tag (when both checks are on)
     */
    public record Options(boolean requireBoxed, boolean requireThink, String thinkOpen, String thinkClose,
                          boolean thinkAtStart, boolean answerAfterThink) {
    }

    private static final AnswerExtractor BOXED = new AnswerExtractor(List.of(AnswerPattern.BOXED));

    private final String name;
    private final Options options;

    public FormatReward(String name, Options options) {
        this.name = name;
        this.options = options;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RewardResult score(Example example, String completion) {
        String text = completion == null ? "" : completion;
        int checks = 0;
        List<String> failed = new ArrayList<>();
        String boxed = null;
        int closeAt = -1;
        if (options.requireThink()) {
            checks++;
            int open = text.indexOf(options.thinkOpen());
            int close = text.indexOf(options.thinkClose());
            boolean single = open >= 0 && close > open
                    && text.indexOf(options.thinkOpen(), open + 1) < 0
                    && text.indexOf(options.thinkClose(), close + 1) < 0;
            if (!single) {
                failed.add("no single " + options.thinkOpen() + "..." + options.thinkClose() + " pair");
            } else if (options.thinkAtStart() && !text.stripLeading().startsWith(options.thinkOpen())) {
                failed.add(options.thinkOpen() + " is not at the start");
            } else {
                closeAt = close;
            }
        }
        if (options.requireBoxed()) {
            checks++;
            var e = BOXED.extract(text);
            if (!e.isPresent()) {
                failed.add(e.failure());
            } else {
                boxed = e.answer();
                if (options.requireThink() && options.answerAfterThink() && closeAt >= 0
                        && text.lastIndexOf("\\boxed") < closeAt && text.lastIndexOf("\\fbox") < closeAt) {
                    failed.add("the boxed answer is inside the think block");
                }
            }
        }
        if (checks == 0) {
            return RewardResult.notApplicable("no format check enabled");
        }
        double value = (double) (checks - Math.min(checks, failed.size())) / checks;
        return RewardResult.of(value, boxed, failed.isEmpty() ? "format ok" : String.join("; ", failed));
    }
}
