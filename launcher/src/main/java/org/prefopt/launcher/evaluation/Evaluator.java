package org.prefopt.launcher.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.launcher.rollout.PromptCache;
import org.prefopt.launcher.rollout.RewardScorer;
import org.prefopt.launcher.rollout.ScoredCompletions;
import org.prefopt.launcher.rollout.Seeds;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * Evaluates the policy on eval sets: greedy pass@1 and sampled mean@k / pass@k, overall and per difficulty tier,
 * with 95% intervals. Writes {@code eval/<set>/step-<N>.json} (summary) and
 * {@code eval/<set>/step-<N>-generations.jsonl} (every completion with its prompt, gold answer, rewards and
 * extracted answers, so a result can be re-graded without generating again). Generation seeds derive from the run
 * seed, the step and the set, so an evaluation is reproducible and never disturbs the training streams.
 */
public final class Evaluator {


    /** Summary key: examples of the set whose prompt also occurs in a training pool, per pool. */
    public static final String TRAINING_OVERLAP = "training_overlap";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSONL = new ObjectMapper();

    private final PolicyModel policy;
    private final PromptTemplate template;
    private final RewardScorer scorer;
    private final SamplingParams sampling;
    private final EvalSettings settings;
    private final long runSeed;
    private final Path runDirectory;
    /** -1 for the weighted total, else the index of the judging reward. */
    private final int judge;
    private final Map<String, PromptCache> caches = new HashMap<>();

    public Evaluator(PolicyModel policy, PromptTemplate template, RewardScorer scorer, SamplingParams sampling,
                     EvalSettings settings, long runSeed, Path runDirectory) {
        this.policy = policy;
        this.template = template;
        this.scorer = scorer;
        this.sampling = sampling;
        this.settings = settings;
        this.runSeed = runSeed;
        this.runDirectory = runDirectory;
        this.judge = resolveJudge(settings.correctReward(), scorer.names());
    }

    static int resolveJudge(String rule, List<String> names) {
        if (EvalSettings.TOTAL.equals(rule)) {
            return -1;
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one reward to judge correctness");
        }
        if (EvalSettings.FIRST.equals(rule)) {
            return 0;
        }
        int i = names.indexOf(rule);
        if (i < 0) {
            throw new IllegalArgumentException("eval.correct-reward = '" + rule + "' is not one of the run's rewards "
                    + names + " (or 'first', 'total')");
        }
        return i;
    }

    /** A description of the correctness rule for summaries. */
    public String ruleDescription() {
        String what = judge < 0 ? "weighted total reward" : "reward '" + scorer.names().get(judge) + "'";
        return what + " >= " + settings.correctThreshold();
    }

    private boolean correct(ScoredCompletions s, int completion) {
        if (judge < 0) {
            return s.totals()[completion] >= settings.correctThreshold();
        }
        RewardResult r = s.results().get(completion)[judge];
        return r.applicable() && r.value() >= settings.correctThreshold();
    }

    public EvalSummary evaluate(EvalSet set, int step) {
        PromptCache prompts = caches.computeIfAbsent(set.name(), n -> new PromptCache(template, policy.tokenizer()));
        List<Example> examples = set.examples();
        ObjectNode summary = JSON.createObjectNode();
        summary.put("set", set.name());
        summary.put("step", step);
        summary.put("examples", examples.size());
        summary.put("correct_rule", ruleDescription());
        if (!set.trainingOverlap().isEmpty()) {
            ObjectNode overlap = summary.putObject(TRAINING_OVERLAP);
            set.trainingOverlap().forEach(overlap::put);
        }
        StringBuilder generations = new StringBuilder();
        long setSeed = Seeds.derive(Seeds.derive(runSeed, Seeds.EVAL, step), set.name().hashCode(), 0);

        Proportion greedyOverall = null;
        Map<String, Proportion> greedyTiers = Map.of();
        if (set.greedy()) {
            SamplingParams greedy = new SamplingParams(sampling.maxNewTokens(), 1.0, 1.0, 0, true,
                    sampling.stopStrings(), 0L);
            Pass pass = run(examples, prompts, greedy, 1, setSeed, "greedy", generations);
            long[] correct = new long[examples.size()];
            for (int i = 0; i < examples.size(); i++) {
                correct[i] = pass.correct[i];
            }
            Map<String, long[]> tiers = byTier(examples);
            Map<String, Proportion> tierProps = new LinkedHashMap<>();
            ObjectNode g = summary.putObject("greedy");
            greedyOverall = proportion(correct, allIndices(examples.size()));
            put(g.putObject("overall"), greedyOverall);
            ObjectNode t = g.putObject("tiers");
            tiers.forEach((tier, idx) -> {
                Proportion p = proportion(correct, idx);
                tierProps.put(tier, p);
                put(t.putObject(tier), p);
            });
            greedyTiers = tierProps;
            putGenerationStats(g, pass);
        }

        Estimate meanAtK = null;
        if (set.samples() > 0) {
            int n = set.samples();
            Pass pass = run(examples, prompts, sampling, n, setSeed, "sample", generations);
            ObjectNode s = summary.putObject("sampled");
            s.put("samples", n);
            s.put("temperature", sampling.temperature());
            s.put("top_p", sampling.topP());
            s.put("top_k", sampling.topK());
            Map<String, long[]> tiers = byTier(examples);
            double[] mean = new double[examples.size()];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (double) pass.correct[i] / n;
            }
            meanAtK = putEstimates(s.putObject("mean_at_k"), mean, tiers, examples.size());
            ObjectNode passNode = s.putObject("pass_at_k");
            for (int k : settings.passAt()) {
                if (k > n) {
                    continue;
                }
                double[] est = new double[examples.size()];
                for (int i = 0; i < est.length; i++) {
                    est[i] = PassAtK.estimate(n, pass.correct[i], k);
                }
                putEstimates(passNode.putObject(Integer.toString(k)), est, tiers, examples.size());
            }
            putGenerationStats(s, pass);
        }

        Path dir = runDirectory.resolve(RunDirectory.EVAL).resolve(set.name());
        Path summaryFile = dir.resolve(RunDirectory.evalSummaryName(step));
        try {
            AtomicFiles.write(dir.resolve(RunDirectory.evalGenerationsName(step)),
                    generations.toString().getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(summaryFile, JSON.writeValueAsBytes(summary));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + summaryFile + ": " + e.getMessage(), e);
        }
        return new EvalSummary(set.name(), step, greedyOverall, greedyTiers, meanAtK, summaryFile,
                set.trainingOverlap());
    }

    /** What one pass (greedy or sampled) produced. */
    private static final class Pass {
        final int[] correct;
        double rewardSum;
        long lengthSum;
        long clipped;
        long completions;

        Pass(int examples) {
            correct = new int[examples];
        }
    }

    private Pass run(List<Example> examples, PromptCache prompts, SamplingParams params, int perPrompt, long seed,
                     String mode, StringBuilder out) {
        Pass pass = new Pass(examples.size());
        int batch = settings.batchSize();
        for (int start = 0, b = 0; start < examples.size(); start += batch, b++) {
            List<Example> chunk = examples.subList(start, Math.min(examples.size(), start + batch));
            List<GenerationRequest> requests = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                requests.add(new GenerationRequest((start + i) + ":" + chunk.get(i).id(), prompts.tokens(chunk.get(i)),
                        perPrompt));
            }
            List<CompletionGroup> groups = align(requests,
                    policy.generate(requests, params.withSeed(Seeds.derive(seed, Seeds.GENERATION, b))));
            List<List<String>> texts = new ArrayList<>(groups.size());
            for (CompletionGroup g : groups) {
                texts.add(g.completions().stream().map(Completion::text).toList());
            }
            List<ScoredCompletions> scores = scorer.score(chunk, texts);
            for (int i = 0; i < chunk.size(); i++) {
                Example ex = chunk.get(i);
                ScoredCompletions s = scores.get(i);
                List<Completion> cs = groups.get(i).completions();
                for (int c = 0; c < cs.size(); c++) {
                    boolean ok = correct(s, c);
                    if (ok) {
                        pass.correct[start + i]++;
                    }
                    Completion comp = cs.get(c);
                    pass.rewardSum += s.totals()[c];
                    pass.lengthSum += comp.length();
                    pass.clipped += comp.truncated() ? 1 : 0;
                    pass.completions++;
                    out.append(generationLine(ex, prompts.text(ex), mode, c, comp, s, ok)).append('\n');
                }
            }
        }
        return pass;
    }

    private String generationLine(Example ex, String prompt, String mode, int index, Completion comp,
                                  ScoredCompletions s, boolean ok) {
        ObjectNode line = JSONL.createObjectNode();
        line.put("id", ex.id());
        line.put("difficulty", ex.difficulty());
        line.put("mode", mode);
        line.put("sample", index);
        line.put("prompt", prompt);
        line.put("completion", comp.text());
        line.put("gold", ex.goldAnswer());
        line.put("reward", s.totals()[index]);
        line.put("correct", ok);
        line.put("length", comp.length());
        line.put("stop_reason", comp.stopReason().name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode rewards = line.putObject("rewards");
        ObjectNode extracted = line.putObject("extracted");
        ObjectNode notes = line.putObject("notes");
        RewardResult[] results = s.results().get(index);
        for (int k = 0; k < results.length; k++) {
            String name = scorer.names().get(k);
            if (results[k].applicable()) {
                rewards.put(name, results[k].value());
            } else {
                rewards.putNull(name);
            }
            extracted.put(name, results[k].extracted());
            notes.put(name, results[k].note());
        }
        try {
            return JSONL.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<CompletionGroup> align(List<GenerationRequest> requests, List<CompletionGroup> groups) {
        Map<String, CompletionGroup> byId = new HashMap<>();
        for (CompletionGroup g : groups) {
            byId.put(g.requestId(), g);
        }
        List<CompletionGroup> out = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            CompletionGroup g = byId.get(r.id());
            if (g == null || g.completions().size() != r.numCompletions()) {
                throw new IllegalStateException("policy returned " + (g == null ? "no" : g.completions().size())
                        + " completions for eval request '" + r.id() + "' (asked for " + r.numCompletions() + ")");
            }
            out.add(g);
        }
        return out;
    }

    /**
     * Example indices per tier, tiers in increasing difficulty, unknown difficulty last as "unknown". The one
     * definition of tier names and order for evaluation files, reports and {@code prefopt data stats}.
     */
    public static Map<String, long[]> byTier(List<Example> examples) {
        TreeMap<Integer, List<Integer>> tiers = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            tiers.computeIfAbsent(examples.get(i).difficulty(), d -> new ArrayList<>()).add(i);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        tiers.forEach((d, idx) -> {
            if (d != Example.UNKNOWN_DIFFICULTY) {
                out.put(tierName(d), idx.stream().mapToLong(Integer::longValue).toArray());
            }
        });
        List<Integer> unknown = tiers.get(Example.UNKNOWN_DIFFICULTY);
        if (unknown != null) {
            out.put(tierName(Example.UNKNOWN_DIFFICULTY), unknown.stream().mapToLong(Integer::longValue).toArray());
        }
        return out;
    }

    /** The tier name of a difficulty: "1", "2", ..., or "unknown". */
    public static String tierName(int difficulty) {
        return difficulty == Example.UNKNOWN_DIFFICULTY ? UNKNOWN_TIER : Integer.toString(difficulty);
    }

    /** The tier of examples without a difficulty; it sorts after every numbered tier. */
    public static final String UNKNOWN_TIER = "unknown";

    /** Tier names in increasing difficulty, {@link #UNKNOWN_TIER} last: the order of {@link #byTier}. */
    public static final Comparator<String> TIER_ORDER = Comparator
            .comparingInt((String t) -> UNKNOWN_TIER.equals(t) ? Integer.MAX_VALUE : Integer.parseInt(t));

    private static long[] allIndices(int n) {
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static Proportion proportion(long[] correct, long[] indices) {
        long c = 0;
        for (long i : indices) {
            c += correct[(int) i];
        }
        return Proportion.of(c, indices.length);
    }

    private static Estimate putEstimates(ObjectNode node, double[] perExample, Map<String, long[]> tiers, int n) {
        Estimate overall = Estimate.of(perExample);
        put(node.putObject("overall"), overall);
        ObjectNode t = node.putObject("tiers");
        tiers.forEach((tier, idx) -> {
            double[] sub = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                sub[j] = perExample[(int) idx[j]];
            }
            put(t.putObject(tier), Estimate.of(sub));
        });
        return overall;
    }

    private static void put(ObjectNode node, Proportion p) {
        node.put("n", p.n());
        node.put("correct", p.correct());
        putNumber(node, "accuracy", p.value());
        ArrayNode ci = node.putArray("ci95");
        ci.add(p.low());
        ci.add(p.high());
    }

    private static void put(ObjectNode node, Estimate e) {
        node.put("n", e.n());
        putNumber(node, "mean", e.mean());
        ArrayNode ci = node.putArray("ci95");
        addNumber(ci, e.low());
        addNumber(ci, e.high());
    }

    private static void putGenerationStats(ObjectNode node, Pass pass) {
        long n = Math.max(1, pass.completions);
        node.put("mean_reward", pass.rewardSum / n);
        node.put("mean_length", (double) pass.lengthSum / n);
        node.put("clipped_ratio", (double) pass.clipped / n);
    }

    private static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) {
            node.put(key, v);
        } else {
            node.putNull(key);
        }
    }

    private static void addNumber(ArrayNode arr, double v) {
        if (Double.isFinite(v)) {
            arr.add(v);
        } else {
            arr.addNull();
        }
    }
}
