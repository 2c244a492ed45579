package org.prefopt.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    @Option(names = "--sync", paramLabel = "<auto|session|inputs|adapters>",
            description = "With --engine onnxruntime: how the engine follows the policy's updates (engine.sync).")
    String sync;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "<float32|float16>",
            description = "The policy's backend.dtype: float16 measures mixed-precision training (float32 masters and"
                    + " loss scaling; emulated on the CPU, meant for CUDA; default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--engine-dtype", paramLabel = "<float32|float16>",
            description = "With --engine onnxruntime: the type of its export of the policy (engine.dtype).")
    String engineDtype;

    @Option(names = "--kv-cache", paramLabel = "<auto|in-place|concat>",
            description = "With --engine onnxruntime: how its export of the policy keeps the KV cache"
                    + " (engine.kv-cache).")
    String kvCache;

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
        List<String> engines = engines();
        Map<String, Object> engineOptions = new LinkedHashMap<>();
        if (sync != null) {
            engineOptions.put("sync", sync);
        }
        if (engineDtype != null) {
            engineOptions.put("dtype", engineDtype);
        }
        if (kvCache != null) {
            engineOptions.put("kv-cache", kvCache);
        }
        policyArgs.engineOptions = engineOptions;
        policyArgs.backendDtype = dtype;
        Map<String, Object> options = Map.of("learning-rate", 1e-4, "gradient-checkpointing", gradientCheckpointing,
                "logits-chunk-tokens", logitsChunkTokens, "lora", loraRank == 0 ? Map.of("enabled", false)
                        : Map.of("enabled", true, "rank", loraRank, "alpha", 2 * loraRank));
        try (RunAssembly assembly = policyArgs.open(parent, "bench", options)) {
            // "policy" is the policy's own generator; any other engine is the one the assembly routed it through
            PolicyModel own = assembly.component(Slot.POLICY, "policy");
            PolicyModel routed = RoutedPolicy.of(assembly);
            List<PolicyModel> generators = engines.stream().map(e -> e.equals("policy") ? own : routed).toList();
            PolicyModel policy = routed;
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
            for (PolicyModel g : generators) {
                g.generate(requests.subList(0, Math.min(4, batch)), SamplingParams.greedy(4)); // warm-up
            }
            // generation's own peak (KV cache, per-token temporaries), apart from training's below; with several
            // engines it is the largest of theirs
            boolean genPeakReset = PeakResidentMemory.reset();
            double[] genSeconds = new double[generators.size()];
            long[] genTokens = new long[generators.size()];
            Arrays.fill(genSeconds, Double.MAX_VALUE);
            // engines interleaved within each repeat, on the same prompts and sampling seed
            for (int r = 0; r < repeats; r++) {
                for (int e = 0; e < generators.size(); e++) {
                    long t0 = System.nanoTime();
                    List<CompletionGroup> groups = generators.get(e).generate(requests,
                            new SamplingParams(newTokens, 1.0, 1.0, 0, false, List.of(), r));
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (s < genSeconds[e]) {
                        genSeconds[e] = s;
                        genTokens[e] = groups.stream().mapToLong(g -> g.completions().get(0).length()).sum();
                    }
                }
            }
            OptionalLong genPeak = genPeakReset ? PeakResidentMemory.read() : OptionalLong.empty();
            OptionalDouble opsPerStep = own.unwrap(GenerationOps.class)
                    .map(GenerationOps::lastOpsPerDecodingStep).orElse(OptionalDouble.empty());

            List<TokenSequence> sequences = new ArrayList<>();
            for (int i = 0; i < trainBatch; i++) {
                sequences.add(new TokenSequence(randomTokens(rnd, trainLen / 4, vocab),
                        randomTokens(rnd, trainLen - trainLen / 4, vocab)));
            }
            double trainSeconds = Double.MAX_VALUE;
            double[] syncSeconds = new double[generators.size()];
            Arrays.fill(syncSeconds, Double.MAX_VALUE);
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
                for (int e = 0; e < generators.size(); e++) {
                    syncSeconds[e] = Math.min(syncSeconds[e], syncAfterUpdate(generators.get(e), requests.get(0)));
                }
            }
            double trainTps = (double) trainBatch * trainLen / trainSeconds;
            OptionalLong trainPeak = peakReset ? PeakResidentMemory.read() : OptionalLong.empty();
            // model FLOPs: 2·N per generated token; per trained token 6·N, or 4·N under LoRA (no weight gradients of
            // the frozen base; the adapters' own are negligible); attention terms left out
            List<Generation> gens = new ArrayList<>();
            for (int e = 0; e < generators.size(); e++) {
                double tps = genTokens[e] / genSeconds[e];
                gens.add(new Generation(engines.get(e), tps, genSeconds[e], 2.0 * params * tps / matmul,
                        Math.max(0, syncSeconds[e])));
            }
            double trainFraction = (loraRank > 0 ? 4.0 : 6.0) * params * trainTps / matmul;
            report(policy, backend, params, matmul, gens, genPeak, opsPerStep, trainTps, trainFraction, trainPeak);
        }
        return ExitCodes.OK;
    }

    /**
     * What the generation phase measured for one engine: rate, best time, share of the matmul rate, and the time it
     * takes to take the policy's new weights after an optimizer step.
     */
    private record Generation(String engine, double tokensPerSecond, double seconds, double matmulFraction,
                              double syncSeconds) {
    }

    private String engineNote() {
        List<String> notes = new ArrayList<>();
        if (sync != null) {
            notes.add("sync = " + sync);
        }
        if (engineDtype != null) {
            notes.add("dtype = " + engineDtype);
        }
        if (kvCache != null) {
            notes.add("kv-cache = " + kvCache);
        }
        return notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")";
    }

    /** {@code --engine}: one engine, or several separated by commas, measured side by side. */
    private List<String> engines() {
        String engineOption = sync != null ? "--sync" : engineDtype != null ? "--engine-dtype"
                : kvCache != null ? "--kv-cache" : null;
        if (engineOption != null && (policyArgs.engine == null || !policyArgs.engine.contains("onnxruntime"))) {
            throw new UsageException(engineOption + " is an option of the onnxruntime engine: add --engine"
                    + " onnxruntime");
        }
        if (policyArgs.engine == null) {
            return List.of("policy");
        }
        List<String> list = Arrays.stream(policyArgs.engine.split(",")).map(String::strip).distinct().toList();
        List<String> others = list.stream().filter(e -> !e.equals("policy")).toList();
        if (list.contains("") || others.size() > 1) {
            throw new UsageException("--engine '" + policyArgs.engine + "': give one engine, or policy and one"
                    + " other engine separated by a comma (policy,onnxruntime) to measure them side by side");
        }
        policyArgs.engine = others.isEmpty() ? null : others.get(0);
        return list;
    }

    /**
     * Seconds an engine takes to follow an optimizer step: a one-token generation right after the step minus the
     * same generation once more (the weights then unchanged).
     */
    private static double syncAfterUpdate(PolicyModel generator, GenerationRequest request) {
        SamplingParams one = SamplingParams.greedy(1);
        long t0 = System.nanoTime();
        generator.generate(List.of(request), one);
        long t1 = System.nanoTime();
        generator.generate(List.of(request), one);
        long t2 = System.nanoTime();
        return ((t1 - t0) - (t2 - t1)) / 1e9;
    }

    private void report(PolicyModel policy, Backend backend, long params, double matmul, List<Generation> gens,
                        OptionalLong genPeak, OptionalDouble opsPerStep, double trainTps, double trainFraction,
                        OptionalLong trainPeak) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String name = policyArgs.model != null ? policyArgs.model : policyArgs.preset;
        Generation first = gens.get(0);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("implementation", "prefopt");
            o.put("model", name);
            o.put("parameters", params);
            o.put("device", backend.info().device());
            o.put("dtype", policy.info().dtype());
            o.put("threads", backend.info().threads());
            o.put("generation_batch", batch);
            o.put("generation_new_tokens", newTokens);
            o.put("generation_engine", first.engine());
            o.put("generation_tokens_per_s", first.tokensPerSecond());
            var engines = o.putArray("engines");
            for (Generation g : gens) {
                ObjectNode e = engines.addObject();
                e.put("engine", g.engine());
                e.put("generation_tokens_per_s", g.tokensPerSecond());
                e.put("generation_seconds", g.seconds());
                e.put("generation_matmul_fraction", g.matmulFraction());
                e.put("sync_after_update_seconds", g.syncSeconds());
                e.put("speedup_vs_first", g.tokensPerSecond() / first.tokensPerSecond());
            }
            if (sync != null) {
                o.put("engine_sync", sync);
            }
            if (engineDtype != null) {
                o.put("engine_dtype", engineDtype);
            }
            if (kvCache != null) {
                o.put("engine_kv_cache", kvCache);
            }
            if (genPeak.isPresent()) {
                o.put("generation_peak_rss_bytes", genPeak.getAsLong());
            } else {
                o.putNull("generation_peak_rss_bytes");
            }
            if (opsPerStep.isPresent()) {
                o.put("generation_ops_per_token", opsPerStep.getAsDouble());
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
            o.put("generation_matmul_fraction", first.matmulFraction());
            o.put("train_matmul_fraction", trainFraction);
            out.println(o);
        } else {
            out.printf("%s (%,d parameters) on %s/%s, %d threads%n", name, params, backend.info().device(),
                    policy.info().dtype(), backend.info().threads());
            out.printf("matmul rate (1024^3): %.1f GFLOP/s%n", matmul / 1e9);
            for (Generation g : gens) {
                out.printf("generation (%s): %.0f tokens/s (batch %d, %d new tokens, best %.2f s), %.1f%% of matmul"
                                + " rate; %.3f s to follow an optimizer step%s%s%n", g.engine(), g.tokensPerSecond(),
                        batch, newTokens, g.seconds(), 100 * g.matmulFraction(), g.syncSeconds(),
                        g.engine().equals("policy") ? "" : engineNote(),
                        g == first ? "" : String.format(", %.2fx %s", g.tokensPerSecond() / first.tokensPerSecond(),
                                first.engine()));
            }
            out.println("generation peak resident memory: " + mib(genPeak));
            out.println("generation engine ops per generated token (one decoding step of the batch, policy engine): "
                    + (opsPerStep.isPresent() ? String.format("%.0f", opsPerStep.getAsDouble())
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
