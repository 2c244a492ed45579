package org.prefopt.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import org.prefopt.api.bench.GenerationOps;
import org.prefopt.api.bench.MatmulBenchmark;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.assembly.RoutedPolicy;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.bench.PeakResidentMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code prefopt bench}: speed of a policy through the {@code PolicyModel} API — generation tokens/s (batch × new
 * tokens with the KV cache), training tokens/s (forward + backward + AdamW; full fine-tuning, or LoRA with
 * {@code --lora-rank}) — the fraction of the backend's measured matrix-multiply FLOP rate each reaches, and the
 * training phase's peak resident memory. {@code backends/src/test/python/bench_pytorch.py}
 * measures the same model and steps in PyTorch eager, for side-by-side ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure generation and training throughput of a policy (default: the bench-small preset).")
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyArgs policyArgs;

    @Option(names = "--batch", defaultValue = "64", description = "Generation batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--prompt-len", defaultValue = "32", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int promptLen;

    @Option(names = "--new-tokens", defaultValue = "128", description = "New tokens (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--train-batch", defaultValue = "8", description = "Training sequences (default: ${DEFAULT-VALUE}).")
    int trainBatch;

    @Option(names = "--train-len", defaultValue = "256", description = "Training sequence length (default: ${DEFAULT-VALUE}).")
    int trainLen;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats; the best is kept (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--gradient-checkpointing",
            description = "Train with the policy's gradient-checkpointing option on (layers re-run in the backward pass).")
    boolean gradientCheckpointing;

    @Option(names = "--logits-chunk-tokens", defaultValue = "0", paramLabel = "<N>",
            description = "The policy's logits-chunk-tokens option (0: one output-layer pass; default: ${DEFAULT-VALUE}).")
    int logitsChunkTokens;

    @Option(names = "--lora-rank", defaultValue = "0", paramLabel = "<N>",
            description = "Train LoRA adapters of this rank (alpha 2N) on every projection instead of all weights"
                    + " (0: full fine-tuning; default: ${DEFAULT-VALUE}).")
    int loraRank;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (policyArgs.model == null && policyArgs.preset == null) {
            policyArgs.preset = "bench-small";
        }
        atLeast("--batch", batch, 1);
        atLeast("--prompt-len", promptLen, 1);
        atLeast("--new-tokens", newTokens, 1);
        atLeast("--train-batch", trainBatch, 1);
        atLeast("--train-len", trainLen, 4);
        atLeast("--repeats", repeats, 1);
        atLeast("--logits-chunk-tokens", logitsChunkTokens, 0);
        atLeast("--lora-rank", loraRank, 0);
        Map<String, Object> options = Map.of("learning-rate", 1e-4, "gradient-checkpointing", gradientCheckpointing,
                "logits-chunk-tokens", logitsChunkTokens, "lora", loraRank == 0 ? Map.of("enabled", false)
                        : Map.of("enabled", true, "rank", loraRank, "alpha", 2 * loraRank));
        try (RunAssembly assembly = policyArgs.open(parent, "bench", options)) {
            PolicyModel policy = RoutedPolicy.of(assembly);
            Backend backend = assembly.component(Slot.BACKEND, "backend");
            int vocab = policy.tokenizer().vocabSize();
            long params = policy.info().parameters();
            Random rnd = new Random(0);
            // NaN where the backend offers no matmul measurement: the fractions below are then NaN too
            double matmul = backend.unwrap(MatmulBenchmark.class).map(m -> m.measureMatmulFlops(1024, 10)).orElse(Double.NaN);

            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                requests.add(new GenerationRequest("r" + i, randomTokens(rnd, promptLen, vocab), 1));
            }
            policy.generate(requests.subList(0, Math.min(4, batch)), SamplingParams.greedy(4)); // warm-up
            // generation's own peak (KV cache, per-token temporaries), apart from training's below
            boolean genPeakReset = PeakResidentMemory.reset();
            double genSeconds = Double.MAX_VALUE;
            long genTokens = 0;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                List<CompletionGroup> groups = policy.generate(requests,
                        new SamplingParams(newTokens, 1.0, 1.0, 0, false, List.of(), r));
                double s = (System.nanoTime() - t0) / 1e9;
                if (s < genSeconds) {
                    genSeconds = s;
                    genTokens = groups.stream().mapToLong(g -> g.completions().get(0).length()).sum();
                }
            }
            double genTps = genTokens / genSeconds;
            OptionalLong genPeak = genPeakReset ? PeakResidentMemory.read() : OptionalLong.empty();
            OptionalDouble opsPerStep = policy.unwrap(GenerationOps.class)
                    .map(GenerationOps::lastOpsPerDecodingStep).orElse(OptionalDouble.empty());

            List<TokenSequence> sequences = new ArrayList<>();
            for (int i = 0; i < trainBatch; i++) {
                sequences.add(new TokenSequence(randomTokens(rnd, trainLen / 4, vocab),
                        randomTokens(rnd, trainLen - trainLen / 4, vocab)));
            }
            double trainSeconds = Double.MAX_VALUE;
            // the training phase's own peak: generation's KV cache must not count
            boolean peakReset = PeakResidentMemory.reset();
            for (int r = 0; r <= repeats; r++) {
                long t0 = System.nanoTime();
                // mean token NLL: a real loss with a real gradient, so the backward pass does full work
                policy.accumulateGradients(sequences, scores -> {
                    List<float[]> g = new ArrayList<>(scores.size());
                    for (var s : scores) {
                        float[] a = new float[s.logprobs().length];
                        Arrays.fill(a, -1f / (s.logprobs().length * scores.size()));
                        g.add(a);
                    }
                    return new LossGradients(0, g, null);
                }, false);
                policy.optimizerStep();
                double s = (System.nanoTime() - t0) / 1e9;
                if (r > 0) { // the first step warms up autograd
                    trainSeconds = Math.min(trainSeconds, s);
                }
            }
            double trainTps = (double) trainBatch * trainLen / trainSeconds;
            OptionalLong trainPeak = peakReset ? PeakResidentMemory.read() : OptionalLong.empty();
            // model FLOPs: 2·N per generated token; per trained token 6·N, or 4·N under LoRA (no weight gradients of
            // the frozen base; the adapters' own are negligible); attention terms left out
            double genFraction = 2.0 * params * genTps / matmul;
            double trainFraction = (loraRank > 0 ? 4.0 : 6.0) * params * trainTps / matmul;
            report(policy, backend, params, matmul, new Generation(genTps, genFraction, genPeak, opsPerStep), trainTps,
                    trainFraction, trainPeak);
        }
        return ExitCodes.OK;
    }

    /** What the generation phase measured: rate, share of the matmul rate, peak memory, engine ops per step. */
    private record Generation(double tokensPerSecond, double matmulFraction, OptionalLong peakRss,
                              OptionalDouble opsPerStep) {
    }

    private void report(PolicyModel policy, Backend backend, long params, double matmul, Generation gen,
                        double trainTps, double trainFraction, OptionalLong trainPeak) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String name = policyArgs.model != null ? policyArgs.model : policyArgs.preset;
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("implementation", "prefopt");
            o.put("model", name);
            o.put("parameters", params);
            o.put("device", backend.info().device());
            o.put("dtype", policy.info().dtype());
            o.put("threads", backend.info().threads());
            o.put("generation_batch", batch);
            o.put("generation_new_tokens", newTokens);
            o.put("generation_tokens_per_s", gen.tokensPerSecond());
            if (gen.peakRss().isPresent()) {
                o.put("generation_peak_rss_bytes", gen.peakRss().getAsLong());
            } else {
                o.putNull("generation_peak_rss_bytes");
            }
            if (gen.opsPerStep().isPresent()) {
                o.put("generation_ops_per_token", gen.opsPerStep().getAsDouble());
            } else {
                o.putNull("generation_ops_per_token");
            }
            o.put("train_batch", trainBatch);
            o.put("train_seq_len", trainLen);
            o.put("train_tokens_per_s", trainTps);
            o.put("lora_rank", loraRank);
            o.put("gradient_checkpointing", gradientCheckpointing);
            o.put("logits_chunk_tokens", logitsChunkTokens);
            if (trainPeak.isPresent()) {
                o.put("train_peak_rss_bytes", trainPeak.getAsLong());
            } else {
                o.putNull("train_peak_rss_bytes");
            }
            o.put("matmul_flops", matmul);
            o.put("generation_matmul_fraction", gen.matmulFraction());
            o.put("train_matmul_fraction", trainFraction);
            out.println(o);
        } else {
            out.printf("%s (%,d parameters) on %s/%s, %d threads%n", name, params, backend.info().device(),
                    policy.info().dtype(), backend.info().threads());
            out.printf("matmul rate (1024^3): %.1f GFLOP/s%n", matmul / 1e9);
            out.printf("generation: %.0f tokens/s (batch %d, %d new tokens), %.1f%% of matmul rate%n",
                    gen.tokensPerSecond(), batch, newTokens, 100 * gen.matmulFraction());
            out.println("generation peak resident memory: " + mib(gen.peakRss()));
            out.println("generation engine ops per generated token (one decoding step of the batch): "
                    + (gen.opsPerStep().isPresent() ? String.format("%.0f", gen.opsPerStep().getAsDouble())
                    : "not reported by this policy"));
            out.printf("training:   %.0f tokens/s (batch %d x %d, fwd+bwd+AdamW, %s%s), %.1f%% of matmul rate%n",
                    trainTps, trainBatch, trainLen, loraRank > 0 ? "LoRA rank " + loraRank : "full fine-tuning",
                    gradientCheckpointing ? ", gradient checkpointing" : "", 100 * trainFraction);
            out.println("training peak resident memory: " + mib(trainPeak));
        }
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%.0f MiB", bytes.getAsLong() / 1048576.0)
                : "not measured (needs Linux /proc/self/status and clear_refs)";
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new UsageException(option + " must be >= " + min + " (got " + value + ")");
        }
    }

    private static int[] randomTokens(Random rnd, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            // the tiny presets' tokenizer keeps its special tokens at the top of a small vocabulary
            t[i] = rnd.nextInt(Math.min(vocab, 90));
        }
        return t;
    }
}
