package org.prefopt.algorithms.sft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.algorithm.PolicyUpdate;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised warm start: trains the policy to produce each example's reference solution after its rendered
 * prompt, minimising the mean token negative log-likelihood of the solution plus an end-of-sequence token.
 * Examples without a reference solution are skipped and counted ({@code skipped_no_solution}).
 *
 * <p>TRL's {@code mean_token_accuracy} is not reported: it needs the argmax of each next-token distribution,
 * which the policy SPI does not expose (only the log-prob of the given token).
 */
public final class SftAlgorithm implements Algorithm {

    private static final Logger LOG = LoggerFactory.getLogger(SftAlgorithm.class);

    private final SftOptions options;

    public SftAlgorithm(SftOptions options) {
        this.options = options;
    }

    @Override
    public StepResult step(StepContext context) {
        PolicyModel policy = context.policy();
        TextTokenizer tokenizer = policy.tokenizer();
        OptionalEos eos = OptionalEos.of(tokenizer);
        List<TokenSequence> batch = new ArrayList<>();
        int skipped = 0;
        long completionTokens = 0;
        long numTokens = 0;
        for (Example example : context.nextPrompts(options.promptsPerStep())) {
            String solution = example.referenceSolution();
            if (solution == null || solution.isBlank()) {
                skipped++;
                continue;
            }
            int[] prompt = context.promptTokens(example);
            int[] completion = eos.append(tokenizer.encode(solution));
            batch.add(new TokenSequence(prompt, completion));
            completionTokens += completion.length;
            numTokens += prompt.length + completion.length;
        }
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("skipped_no_solution", (double) skipped);
        if (batch.isEmpty()) {
            LOG.warn("step {}: none of the drawn examples has a reference solution; no update. SFT needs a dataset"
                    + " with worked solutions (GSM8K 'answer', MATH 'solution')", context.step());
            return StepResult.nothingToTrain(metrics);
        }
        long stepTokens = completionTokens;
        PolicyUpdate.Outcome update = PolicyUpdate.run(policy, batch.size(), options.microBatchSize(), false,
                new PolicyUpdate.MicroBatch() {
                    @Override
                    public List<TokenSequence> sequences(int from, int to) {
                        return batch.subList(from, to);
                    }

                    @Override
                    public TokenLoss loss(int from, int to) {
                        return new NllTokenLoss(stepTokens);
                    }
                }, "step " + context.step());
        update.putMetrics(metrics);
        return new StepResult(metrics, numTokens, update.nonFinite() ? StepResult.Update.SKIPPED_NON_FINITE
                : StepResult.Update.APPLIED);
    }

    /** The end-of-sequence token appended to solutions, so the policy learns to stop. */
    record OptionalEos(Integer id) {

        static OptionalEos of(TextTokenizer tokenizer) {
            // several EOS ids are common (e.g. <|endoftext|> and <|im_end|>); the smallest is a stable choice
            return new OptionalEos(tokenizer.eosTokenIds().stream().min(Integer::compare).orElse(null));
        }

        int[] append(int[] tokens) {
            if (id == null) {
                return tokens;
            }
            int[] out = java.util.Arrays.copyOf(tokens, tokens.length + 1);
            out[tokens.length] = id;
            return out;
        }
    }
}
