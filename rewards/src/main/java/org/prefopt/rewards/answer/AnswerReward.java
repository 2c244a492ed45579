package org.prefopt.rewards.answer;

import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.equivalence.EquivalenceChecker;
import org.prefopt.rewards.equivalence.EquivalenceStats;
import org.prefopt.rewards.equivalence.Reason;
import org.prefopt.rewards.equivalence.Verdict;
import org.prefopt.rewards.extraction.AnswerExtractor;
import org.prefopt.rewards.extraction.Extraction;

/**
 * 1 for a correct final answer, 0 otherwise; a correct answer found only by a pattern outside the requested
 * format earns {@code wrong-format-score}. An example whose gold answer is missing or unusable is "not
 * applicable" rather than 0, so that it does not drag the mean down. Thread-safe; never throws.
 */
public final class AnswerReward implements RewardFunction {

    private final String name;
    private final AnswerRewardOptions options;
    private final AnswerExtractor extractor;
    private final EquivalenceChecker checker;

    public AnswerReward(String name, AnswerRewardOptions options) {
        this.name = name;
        this.options = options;
        this.extractor = new AnswerExtractor(options.patterns());
        this.checker = new EquivalenceChecker(options.equivalence());
    }

    @Override
    public String name() {
        return name;
    }

    public EquivalenceStats stats() {
        return checker.stats();
    }

    @Override
    public RewardResult score(Example example, String completion) {
        try {
            String gold = GoldAnswers.of(example);
            if (gold == null) {
                return RewardResult.notApplicable("example has no gold answer");
            }
            if (!checker.isUsableGold(gold)) {
                return RewardResult.notApplicable("gold answer '" + abbreviate(gold) + "' cannot be judged"
                        + (options.equivalence().symbolic() ? "" : " (not a number)"));
            }
            Extraction e = extractor.extract(completion);
            if (!e.isPresent()) {
                return RewardResult.of(0.0, null, "no answer: " + e.failure());
            }
            Verdict v = checker.check(e.answer(), gold);
            String via = " [" + e.pattern().optionName() + "]";
            if (!v.equal() && v.reason() == Reason.CAS_TIMEOUT) {
                // no verdict: 0 as before, but flagged, so a loaded machine's timeouts are not read as wrong answers
                return RewardResult.undecided(0.0, e.answer(), "undecided (scored 0): " + v.note() + via);
            }
            if (!v.equal()) {
                return RewardResult.of(0.0, e.answer(), "wrong: " + v.note() + via);
            }
            if (options.formatPatterns().contains(e.pattern())) {
                return RewardResult.of(1.0, e.answer(), "correct: " + v.note() + via);
            }
            return RewardResult.of(options.wrongFormatScore(), e.answer(),
                    "correct but not in the requested format: " + v.note() + via);
        } catch (RuntimeException | StackOverflowError e) {
            return RewardResult.of(0.0, null, "internal error " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
