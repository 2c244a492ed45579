package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
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
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.launcher.rollout.RewardScorer;
import org.prefopt.launcher.rollout.WeightedReward;
import org.prefopt.launcher.training.fakes.FakeRewards;
import org.prefopt.launcher.training.fakes.FakeTokenizer;
import org.prefopt.launcher.training.fakes.Fixtures;

class EvaluatorTest {

    private static final PromptTemplate TEMPLATE = new PromptTemplate("Q: {question} A:", false, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path run;

    /**
     * Seven examples: e0..e5 (tiers 1,2,3,1,2,3) and u0 (unknown tier). Greedy answers e0, e3, e1 and u0 right:
     * tier 1 2/2, tier 2 1/2, tier 3 0/2, unknown 1/1, overall 4/7. Of 4 samples, c = 4,2,0,1,3,0,2 are right.
     */
    private static List<Example> examples() {
        List<Example> list = new ArrayList<>(Fixtures.pool("e", 6));
        list.add(new Example("u0", "what is u0?", "1", null, Example.UNKNOWN_DIFFICULTY, null, "fixture:7", Map.of()));
        return list;
    }

    private static final Map<String, Integer> SAMPLED_CORRECT =
            Map.of("e0", 4, "e1", 2, "e2", 0, "e3", 1, "e4", 3, "e5", 0, "u0", 2);
    private static final List<String> GREEDY_CORRECT = List.of("e0", "e1", "e3", "u0");

    /** Answers by script, found from the prompt tokens; right answers are the gold digit, wrong ones "9". */
    static final class ScriptedPolicy implements PolicyModel {
        final TextTokenizer tokenizer = new FakeTokenizer();
        final Map<String, Example> byPrompt = new HashMap<>();
        final List<SamplingParams> calls = new ArrayList<>();

        ScriptedPolicy(List<Example> examples) {
            for (Example e : examples) {
                byPrompt.put(Arrays.toString(tokenizer.encode(TEMPLATE.render(e, tokenizer))), e);
            }
        }

        @Override
        public List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params) {
            calls.add(params);
            List<CompletionGroup> out = new ArrayList<>();
            for (GenerationRequest r : requests) {
                Example e = byPrompt.get(Arrays.toString(r.promptTokens()));
                List<Completion> cs = new ArrayList<>();
                for (int c = 0; c < r.numCompletions(); c++) {
                    boolean right = params.greedy() ? GREEDY_CORRECT.contains(e.id()) : c < SAMPLED_CORRECT.get(e.id());
                    String text = right ? e.goldAnswer() : "9";
                    cs.add(new Completion(tokenizer.encode(text), text, new float[] {-0.1f},
                            c == 3 ? StopReason.LENGTH : StopReason.EOS));
                }
                out.add(new CompletionGroup(r.id(), r.promptTokens(), cs));
            }
            return out;
        }

        @Override
        public PolicyInfo info() {
            return new PolicyInfo("scripted", 0, 0, "cpu", "none");
        }

        @Override
        public TextTokenizer tokenizer() {
            return tokenizer;
        }

        @Override
        public List<SequenceScores> score(List<TokenSequence> s, ScoringMode m, boolean e) {
            throw new UnsupportedOperationException("evaluation never scores");
        }

        @Override
        public AccumulationResult accumulateGradients(List<TokenSequence> b, TokenLoss l, boolean e) {
            throw new UnsupportedOperationException("evaluation never trains");
        }

        @Override
        public OptimizerStepResult optimizerStep() {
            throw new UnsupportedOperationException("evaluation never trains");
        }

        @Override
        public void overrideLearningRate(double rate) {
        }

        @Override
        public void resetReference() {
        }

        @Override
        public void saveTrainingState(Path d) {
        }

        @Override
        public void loadTrainingState(Path d) {
        }

        @Override
        public void export(Path d, boolean m) {
        }

        @Override
        public void close() {
        }
    }

    private static RewardFunction always() {
        return new RewardFunction() {
            @Override
            public String name() {
                return "always";
            }

            @Override
            public RewardResult score(Example example, String completion) {
                return RewardResult.of(1, null, "bonus");
            }
        };
    }

    private EvalSummary evaluate(EvalSettings settings, ScriptedPolicy policy, int samples) {
        try (RewardScorer scorer = new RewardScorer(List.of(new WeightedReward(FakeRewards.digit(), 1.0),
                new WeightedReward(always(), 1.0)), 2)) {
            Evaluator evaluator = new Evaluator(policy, TEMPLATE, scorer,
                    new SamplingParams(8, 0.7, 1.0, 0, false, List.of(), 0), settings, 42, run);
            return evaluator.evaluate(new EvalSet("held", examples(), samples, true), 5);
        }
    }

    @Test
    void theSummaryRecordsHowManyExamplesEachTrainingPoolShares() throws Exception {
        EvalSettings settings = new EvalSettings(EvalSettings.FIRST, 1.0, 4, List.of(1), true, 3);
        try (RewardScorer scorer = new RewardScorer(List.of(new WeightedReward(FakeRewards.digit(), 1.0)), 1)) {
            Evaluator evaluator = new Evaluator(new ScriptedPolicy(examples()), TEMPLATE, scorer,
                    new SamplingParams(8, 0.7, 1.0, 0, false, List.of(), 0), settings, 42, run);
            EvalSummary s = evaluator.evaluate(new EvalSet("held", examples(), 0, true).withTrainingOverlap(
                    Map.of("training", 3)), 5);
            assertEquals(Map.of("training", 3), s.trainingOverlap());
            assertEquals(Map.of("training", 3), EvalSummaryReader.read(s.summaryFile()).trainingOverlap());
            EvalSummary clean = evaluator.evaluate(new EvalSet("held", examples(), 0, true), 6);
            assertEquals(Map.of(), EvalSummaryReader.read(clean.summaryFile()).trainingOverlap());
        }
    }

    @Test
    void greedyAccuracyPerTierWithWilsonIntervals() throws Exception {
        EvalSettings settings = new EvalSettings(EvalSettings.FIRST, 1.0, 4, List.of(1, 2, 8), true, 3);
        EvalSummary summary = evaluate(settings, new ScriptedPolicy(examples()), 4);

        assertEquals(4, summary.greedy().correct());
        assertEquals(7, summary.greedy().n());
        assertEquals(4.0 / 7, summary.greedy().value(), 1e-12);
        assertEquals(List.of("1", "2", "3", "unknown"), List.copyOf(summary.greedyTiers().keySet()));
        Proportion tier2 = summary.greedyTiers().get("2");
        assertEquals(1, tier2.correct());
        assertEquals(2, tier2.n());
        assertEquals(0.09453, tier2.low(), 1e-4);   // Wilson 1/2, worked by hand
        assertEquals(0.90547, tier2.high(), 1e-4);
        assertEquals(0.0, summary.greedyTiers().get("3").value());
        assertEquals(0.20655, summary.greedyTiers().get("unknown").low(), 1e-4); // Wilson 1/1

        JsonNode json = JSON.readTree(run.resolve("eval/held/step-5.json").toFile());
        assertEquals(summary.summaryFile(), run.resolve("eval/held/step-5.json"));
        assertEquals("reward 'digit' >= 1.0", json.get("correct_rule").asText());
        JsonNode tier1 = json.at("/greedy/tiers/1");
        assertEquals(2, tier1.get("n").asInt());
        assertEquals(1.0, tier1.get("accuracy").asDouble());
        assertEquals(0.34237, tier1.get("ci95").get(0).asDouble(), 1e-4); // Wilson 2/2
        assertEquals(1.0, tier1.get("ci95").get(1).asDouble(), 1e-9);
        assertEquals(4.0 / 7 + 1, json.at("/greedy/mean_reward").asDouble(), 1e-12, "digit + always bonus");
    }

    @Test
    void sampledMeanAtKAndPassAtK() throws Exception {
        EvalSettings settings = new EvalSettings(EvalSettings.FIRST, 1.0, 4, List.of(1, 2, 8), true, 3);
        EvalSummary summary = evaluate(settings, new ScriptedPolicy(examples()), 4);

        // per example c/4 = 1, .5, 0, .25, .75, 0, .5
        assertEquals(3.0 / 7, summary.meanAtK().mean(), 1e-12);
        // squared deviations sum 0.839286 → sample variance 0.139881 → se 0.141361 → ±0.277063
        assertEquals(0.151508, summary.meanAtK().low(), 1e-5);
        assertEquals(0.705635, summary.meanAtK().high(), 1e-5);

        JsonNode json = JSON.readTree(run.resolve("eval/held/step-5.json").toFile());
        assertEquals(0.625, json.at("/sampled/mean_at_k/tiers/1/mean").asDouble(), 1e-12); // (1 + .25) / 2
        // pass@2 with n = 4: c=4→1, 2→5/6, 0→0, 1→1/2, 3→1, 0→0, 2→5/6
        assertEquals((1 + 5.0 / 6 + 0 + 0.5 + 1 + 0 + 5.0 / 6) / 7, json.at("/sampled/pass_at_k/2/overall/mean").asDouble(), 1e-12);
        assertEquals(3.0 / 7, json.at("/sampled/pass_at_k/1/overall/mean").asDouble(), 1e-12, "pass@1 = mean@k");
        assertTrue(json.at("/sampled/pass_at_k/8").isMissingNode(), "k above the sample count is left out");
        assertEquals(0.25, json.at("/sampled/clipped_ratio").asDouble(), 1e-12, "one sample in four stopped on length");
        assertEquals(4, json.at("/sampled/samples").asInt());
    }

    @Test
    void generationsAreSavedForRegrading() throws Exception {
        EvalSettings settings = new EvalSettings(EvalSettings.FIRST, 1.0, 4, List.of(2), true, 3);
        ScriptedPolicy policy = new ScriptedPolicy(examples());
        evaluate(settings, policy, 4);
        List<String> lines = Files.readAllLines(run.resolve("eval/held/step-5-generations.jsonl"));
        assertEquals(7 + 7 * 4, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("e0", first.get("id").asText());
        assertEquals("greedy", first.get("mode").asText());
        assertEquals("Q: what is e0? A:", first.get("prompt").asText());
        assertEquals("0", first.get("completion").asText());
        assertEquals("0", first.get("gold").asText());
        assertEquals("0", first.at("/extracted/digit").asText());
        assertEquals(2.0, first.get("reward").asDouble());
        assertTrue(first.get("correct").asBoolean());
        JsonNode sampleLine = JSON.readTree(lines.get(7 + 3)); // e0's 4th sample: correct, stopped on length
        assertEquals("sample", sampleLine.get("mode").asText());
        assertEquals(3, sampleLine.get("sample").asInt());
        assertEquals("length", sampleLine.get("stop_reason").asText());
        // greedy and sampled passes in batches of 3 prompts: 3 + 3 calls; greedy ones flagged greedy
        assertEquals(6, policy.calls.size());
        assertTrue(policy.calls.get(0).greedy());
        assertFalse(policy.calls.get(3).greedy());
        assertEquals(0.7, policy.calls.get(3).temperature());
        assertFalse(policy.calls.get(3).seed() == policy.calls.get(4).seed(), "each batch has its own seed");
    }

    @Test
    void correctnessCanBeJudgedOnTheWeightedTotal() {
        EvalSettings total = new EvalSettings(EvalSettings.TOTAL, 1.0, 0, List.of(), true, 64);
        assertEquals(1.0, evaluate(total, new ScriptedPolicy(examples()), 0).greedy().value(),
                "the bonus alone reaches 1.0");
        EvalSettings strict = new EvalSettings(EvalSettings.TOTAL, 1.5, 0, List.of(), true, 64);
        assertEquals(4.0 / 7, evaluate(strict, new ScriptedPolicy(examples()), 0).greedy().value(), 1e-12);
        EvalSettings named = new EvalSettings("always", 1.0, 0, List.of(), true, 64);
        assertEquals(1.0, evaluate(named, new ScriptedPolicy(examples()), 0).greedy().value());
    }

    @Test
    void unknownCorrectRewardIsRejectedWithTheChoices() {
        EvalSettings bad = new EvalSettings("gsm8k-answer", 1.0, 0, List.of(), true, 64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluate(bad, new ScriptedPolicy(examples()), 0));
        assertTrue(e.getMessage().contains("[digit, always]"), e.getMessage());
    }
}
