package org.prefopt.api.testing.algorithm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyInfo;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.StopReason;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;

/**
 * A real, tiny, differentiable language model for tests: a bigram table {@code theta[prev][next]} of logits over
 * a vocabulary of the ten digits (ids 0..9) and an end-of-sequence token (id 10). Training follows the policy
 * SPI exactly: the loss gets per-token log-probs and entropies, its gradients are chained analytically into
 * {@code theta} and plain SGD applies them. The reference is a frozen copy of the initial table.
 */
public final class BigramPolicy implements PolicyModel {

    public static final int VOCAB = 11;
    public static final int EOS = 10;

    private final double[][] theta = new double[VOCAB][VOCAB];
    private final double[][] reference = new double[VOCAB][VOCAB];
    private final double[][] grad = new double[VOCAB][VOCAB];
    private final double learningRate;
    /** Sizes of every batch passed to accumulateGradients, for assertions. */
    public final List<Integer> accumulateBatchSizes = new ArrayList<>();
    public final List<TokenSequence> accumulated = new ArrayList<>();
    public int optimizerSteps;
    public int referenceScoredSequences;
    /** When set, the policy's log-probs come out as NaN (to test the non-finite guard). */
    public boolean poison;

    public BigramPolicy(double learningRate, double[][] initialLogits) {
        this.learningRate = learningRate;
        for (int i = 0; i < VOCAB; i++) {
            for (int j = 0; j < VOCAB; j++) {
                theta[i][j] = initialLogits == null ? 0.0 : initialLogits[i][j];
                reference[i][j] = theta[i][j];
            }
        }
    }

    /** Probability of {@code next} after {@code prev} under the current weights. */
    public double probability(int prev, int next) {
        return softmax(theta[prev])[next];
    }

    public double[][] weights() {
        double[][] copy = new double[VOCAB][];
        for (int i = 0; i < VOCAB; i++) {
            copy[i] = theta[i].clone();
        }
        return copy;
    }

    /** Exact sequence log-prob of a completion under the current weights. */
    public double logprob(int[] prompt, int[] completion) {
        double s = 0;
        int prev = prompt.length == 0 ? EOS : prompt[prompt.length - 1];
        for (int tok : completion) {
            s += Math.log(softmax(theta[prev])[tok]);
            prev = tok;
        }
        return s;
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    @Override
    public PolicyInfo info() {
        return new PolicyInfo("bigram", VOCAB * VOCAB, VOCAB * VOCAB, "cpu", "float64");
    }

    @Override
    public TextTokenizer tokenizer() {
        return new DigitTokenizer();
    }

    @Override
    public List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params) {
        List<CompletionGroup> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(params.seed());
        for (GenerationRequest request : requests) {
            List<Completion> completions = new ArrayList<>();
            for (int n = 0; n < request.numCompletions(); n++) {
                int prev = request.promptTokens().length == 0 ? EOS
                        : request.promptTokens()[request.promptTokens().length - 1];
                List<Integer> tokens = new ArrayList<>();
                List<Float> lps = new ArrayList<>();
                StopReason reason = StopReason.LENGTH;
                while (tokens.size() < params.maxNewTokens()) {
                    double[] p = softmax(theta[prev]);
                    double u = random.nextDouble();
                    int tok = 0;
                    double c = p[0];
                    while (u > c && tok < VOCAB - 1) {
                        tok++;
                        c += p[tok];
                    }
                    tokens.add(tok);
                    lps.add((float) Math.log(p[tok]));
                    prev = tok;
                    if (tok == EOS) {
                        reason = StopReason.EOS;
                        break;
                    }
                }
                int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
                float[] lp = new float[lps.size()];
                for (int i = 0; i < lp.length; i++) {
                    lp[i] = lps.get(i);
                }
                completions.add(new Completion(ids, new DigitTokenizer().decode(ids, true), lp, reason));
            }
            out.add(new CompletionGroup(request.id(), request.promptTokens(), completions));
        }
        return out;
    }

    private SequenceScores scoreOne(TokenSequence s, double[][] table, boolean withEntropy) {
        int[] prompt = s.promptTokens();
        int prev = prompt.length == 0 ? EOS : prompt[prompt.length - 1];
        float[] lp = new float[s.completionTokens().length];
        float[] h = withEntropy ? new float[lp.length] : null;
        for (int t = 0; t < lp.length; t++) {
            double[] p = softmax(table[prev]);
            int tok = s.completionTokens()[t];
            lp[t] = poison ? Float.NaN : (float) Math.log(p[tok]);
            if (withEntropy) {
                h[t] = (float) entropy(p);
            }
            prev = tok;
        }
        return new SequenceScores(lp, h);
    }

    @Override
    public List<SequenceScores> score(List<TokenSequence> sequences, ScoringMode mode, boolean withEntropy) {
        if (mode == ScoringMode.REFERENCE) {
            referenceScoredSequences += sequences.size();
        }
        double[][] table = mode == ScoringMode.POLICY ? theta : reference;
        return sequences.stream().map(s -> scoreOne(s, table, withEntropy)).toList();
    }

    @Override
    public AccumulationResult accumulateGradients(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy) {
        accumulateBatchSizes.add(batch.size());
        accumulated.addAll(batch);
        List<SequenceScores> scores = score(batch, ScoringMode.POLICY, withEntropy);
        LossGradients g = loss.evaluate(scores);
        for (int i = 0; i < batch.size(); i++) {
            TokenSequence s = batch.get(i);
            int prev = s.promptTokens().length == 0 ? EOS : s.promptTokens()[s.promptTokens().length - 1];
            float[] dlp = g.logprobGradients().get(i);
            float[] dh = g.entropyGradients() == null ? null : g.entropyGradients().get(i);
            for (int t = 0; t < dlp.length; t++) {
                double[] p = softmax(theta[prev]);
                int tok = s.completionTokens()[t];
                double h = entropy(p);
                for (int v = 0; v < VOCAB; v++) {
                    // d lp / d theta_v = 1[v = tok] - p_v ;  d H / d theta_v = -p_v (log p_v + H)
                    double d = dlp[t] * ((v == tok ? 1.0 : 0.0) - p[v]);
                    if (dh != null) {
                        d += dh[t] * (-p[v] * (Math.log(p[v]) + h));
                    }
                    grad[prev][v] += d;
                }
                prev = tok;
            }
        }
        return new AccumulationResult(g.loss(), scores);
    }

    @Override
    public OptimizerStepResult optimizerStep() {
        double ss = 0;
        for (double[] row : grad) {
            for (double v : row) {
                ss += v * v;
            }
        }
        double norm = Math.sqrt(ss);
        boolean finite = Double.isFinite(norm);
        for (int i = 0; i < VOCAB; i++) {
            for (int j = 0; j < VOCAB; j++) {
                if (finite) {
                    theta[i][j] -= learningRate * grad[i][j];
                }
                grad[i][j] = 0;
            }
        }
        optimizerSteps++;
        return new OptimizerStepResult(norm, learningRate, finite);
    }

    @Override
    public void overrideLearningRate(double rate) {
        throw new UnsupportedOperationException("not needed by the algorithm tests");
    }

    @Override
    public void resetReference() {
        for (int i = 0; i < VOCAB; i++) {
            System.arraycopy(theta[i], 0, reference[i], 0, VOCAB);
        }
    }

    @Override
    public void saveTrainingState(Path directory) {
        throw new UnsupportedOperationException("not needed by the algorithm tests");
    }

    @Override
    public void loadTrainingState(Path directory) {
        throw new UnsupportedOperationException("not needed by the algorithm tests");
    }

    @Override
    public void export(Path directory, boolean mergeAdapters) {
        throw new UnsupportedOperationException("not needed by the algorithm tests");
    }

    @Override
    public void close() {
    }

    /** Digits map to ids 0..9; id 10 is the end-of-sequence token. */
    public static final class DigitTokenizer implements TextTokenizer {

        @Override
        public int[] encode(String text) {
            int[] ids = new int[text.length()];
            for (int i = 0; i < ids.length; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("digit tokenizer cannot encode '" + c + "'");
                }
                ids[i] = c - '0';
            }
            return ids;
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                if (id == EOS) {
                    if (!skipSpecialTokens) {
                        sb.append("</s>");
                    }
                } else {
                    sb.append((char) ('0' + id));
                }
            }
            return sb.toString();
        }

        @Override
        public int vocabSize() {
            return VOCAB;
        }

        @Override
        public Set<Integer> eosTokenIds() {
            return Set.of(EOS);
        }

        @Override
        public OptionalInt padTokenId() {
            return OptionalInt.empty();
        }

        @Override
        public boolean hasChatTemplate() {
            return false;
        }

        @Override
        public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
            throw new IllegalStateException("no chat template");
        }
    }
}
