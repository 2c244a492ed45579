package org.prefopt.launcher.training.fakes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * A deterministic "policy": for each prompt a free logit vector over five tokens (end-of-sequence and the digits
 * 0-3), the same at every position. Gradients of a {@link TokenLoss} flow exactly through the log-softmax, and
 * {@link #optimizerStep()} is plain SGD, skipping non-finite gradients as the SPI requires. Top-p, top-k and stop
 * strings are ignored (not needed by the loop tests). Its whole state is written by {@link #saveTrainingState},
 * so a new instance restored from a checkpoint behaves like the one that wrote it.
 */
public final class FakePolicy implements PolicyModel {

    public static final int[] OPTIONS = {FakeTokenizer.EOS, '0', '1', '2', '3'};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TextTokenizer tokenizer = new FakeTokenizer();
    private final double learningRate;
    private final Map<String, double[]> logits = new TreeMap<>();
    private final Map<String, double[]> grads = new TreeMap<>();
    private long updates;
    private final List<Long> referenceResets = new ArrayList<>();
    private final List<Double> rateOverrides = new ArrayList<>();
    /** When set, saving the training state after this many updates runs out of memory half-way. */
    public long outOfMemoryWhileSavingAtUpdate = -1;

    public FakePolicy(double learningRate) {
        this.learningRate = learningRate;
    }

    public long updates() {
        return updates;
    }

    /** The update count at each {@link #resetReference()} call of this instance. */
    public List<Long> referenceResets() {
        return referenceResets;
    }

    @Override
    public void resetReference() {
        referenceResets.add(updates);
    }

    /** The learning rates set with {@link #overrideLearningRate}, in order. */
    public List<Double> rateOverrides() {
        return rateOverrides;
    }

    @Override
    public void overrideLearningRate(double rate) {
        rateOverrides.add(rate);
    }

    public Map<String, double[]> logits() {
        return logits;
    }

    @Override
    public PolicyInfo info() {
        return new PolicyInfo("fake", 0, 0, "cpu", "float64");
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    private double[] logitsFor(int[] prompt) {
        // Read-only: generating or scoring must not change the state a checkpoint captures.
        return logits.getOrDefault(Arrays.toString(prompt), new double[OPTIONS.length]);
    }

    private static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElse(0);
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int option(int token) {
        for (int i = 0; i < OPTIONS.length; i++) {
            if (OPTIONS[i] == token) {
                return i;
            }
        }
        throw new IllegalArgumentException("token " + token + " is not in the fake vocabulary");
    }

    @Override
    public List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params) {
        Random rng = new Random(params.seed());
        List<CompletionGroup> out = new ArrayList<>();
        for (GenerationRequest r : requests) {
            double[] z = logitsFor(r.promptTokens()).clone();
            double[] p1 = softmax(z);
            double[] pt = softmax(Arrays.stream(z).map(v -> v / params.temperature()).toArray());
            List<Completion> cs = new ArrayList<>();
            for (int c = 0; c < r.numCompletions(); c++) {
                List<Integer> tokens = new ArrayList<>();
                List<Float> lps = new ArrayList<>();
                StopReason reason = StopReason.LENGTH;
                while (tokens.size() < params.maxNewTokens()) {
                    int o = params.greedy() ? argmax(p1) : draw(pt, rng.nextDouble());
                    tokens.add(OPTIONS[o]);
                    lps.add((float) Math.log(p1[o]));
                    if (OPTIONS[o] == FakeTokenizer.EOS) {
                        reason = StopReason.EOS;
                        break;
                    }
                }
                int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
                float[] lp = new float[lps.size()];
                for (int i = 0; i < lp.length; i++) {
                    lp[i] = lps.get(i);
                }
                cs.add(new Completion(ids, tokenizer.decode(ids, true), lp, reason));
            }
            out.add(new CompletionGroup(r.id(), r.promptTokens(), cs));
        }
        // Reversed on purpose: the loop must align groups by request id, not by position.
        java.util.Collections.reverse(out);
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int draw(double[] p, double u) {
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        return p.length - 1;
    }

    @Override
    public List<SequenceScores> score(List<TokenSequence> sequences, ScoringMode mode, boolean withEntropy) {
        List<SequenceScores> out = new ArrayList<>();
        for (TokenSequence s : sequences) {
            double[] p = softmax(logitsFor(s.promptTokens()));
            float[] lp = new float[s.completionTokens().length];
            float[] ent = withEntropy ? new float[lp.length] : null;
            double h = 0;
            for (double pi : p) {
                h -= pi * Math.log(pi);
            }
            for (int t = 0; t < lp.length; t++) {
                lp[t] = (float) Math.log(p[option(s.completionTokens()[t])]);
                if (ent != null) {
                    ent[t] = (float) h;
                }
            }
            out.add(new SequenceScores(lp, ent));
        }
        return out;
    }

    @Override
    public AccumulationResult accumulateGradients(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy) {
        List<SequenceScores> scores = score(batch, ScoringMode.POLICY, withEntropy);
        LossGradients g = loss.evaluate(scores);
        for (int i = 0; i < batch.size(); i++) {
            TokenSequence s = batch.get(i);
            String key = Arrays.toString(s.promptTokens());
            double[] p = softmax(logitsFor(s.promptTokens()));
            double[] acc = grads.computeIfAbsent(key, k -> new double[OPTIONS.length]);
            float[] dl = g.logprobGradients().get(i);
            for (int t = 0; t < dl.length; t++) {
                int chosen = option(s.completionTokens()[t]);
                // d log p(chosen) / d z_j = 1[j = chosen] - p_j
                for (int j = 0; j < OPTIONS.length; j++) {
                    acc[j] += dl[t] * ((j == chosen ? 1.0 : 0.0) - p[j]);
                }
            }
        }
        return new AccumulationResult(g.loss(), scores);
    }

    @Override
    public OptimizerStepResult optimizerStep() {
        double ss = 0;
        for (double[] g : grads.values()) {
            for (double v : g) {
                ss += v * v;
            }
        }
        double norm = Math.sqrt(ss);
        if (!Double.isFinite(norm)) {
            grads.clear();
            return new OptimizerStepResult(norm, learningRate, false);
        }
        grads.forEach((k, g) -> {
            double[] z = logits.computeIfAbsent(k, x -> new double[OPTIONS.length]);
            for (int j = 0; j < z.length; j++) {
                z[j] -= learningRate * g[j];
            }
        });
        grads.clear();
        updates++;
        return new OptimizerStepResult(norm, learningRate, true);
    }

    @Override
    public void saveTrainingState(Path directory) {
        try {
            Files.createDirectories(directory);
            JSON.writeValue(directory.resolve("logits.json").toFile(), logits);
            if (outOfMemoryWhileSavingAtUpdate == updates) {
                // as a large model can: half of the state written, then the allocation of the rest fails
                throw new OutOfMemoryError("fake: out of memory while saving the training state");
            }
            Files.writeString(directory.resolve("updates.txt"), Long.toString(updates));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void loadTrainingState(Path directory) {
        try {
            Map<String, double[]> loaded = JSON.readValue(directory.resolve("logits.json").toFile(),
                    new TypeReference<TreeMap<String, double[]>>() { });
            logits.clear();
            logits.putAll(loaded);
            grads.clear();
            updates = Long.parseLong(Files.readString(directory.resolve("updates.txt")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void export(Path directory, boolean mergeAdapters) {
        saveTrainingState(directory);
    }

    @Override
    public void close() {
    }
}
