package org.prefopt.backends.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.DjlBackend;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.djl.policy.PolicySettings;
import org.prefopt.backends.djl.policy.TinyPolicyFactory;
import org.prefopt.backends.djl.training.LrSchedule;
import org.prefopt.backends.djl.training.OptimizerSettings;
import org.prefopt.backends.tokenizer.HfTokenizers;

/**
 * Speed of a policy through the {@code PolicyModel} API: generation tokens/s (batch × new tokens with the KV
 * cache) and training tokens/s (forward + backward + AdamW, full fine-tuning), with the fraction of the
 * backend's measured matmul FLOP rate that each reaches. {@code backends/src/test/python/bench_pytorch.py}
 * measures the same model and steps in PyTorch eager.
 *
 * <pre>
 * PolicyBench [--preset bench-small | --model DIR] [--threads N] [--device cpu] [--dtype float32]
 *             [--batch 64] [--prompt-len 32] [--new-tokens 128] [--train-batch 8] [--train-len 256]
 *             [--repeats 3] [--json]
 * </pre>
 */
public final class PolicyBench {

    private PolicyBench() {
    }

    public static void main(String[] args) throws Exception {
        String preset = "bench-small";
        String model = null;
        String device = "cpu";
        String dtype = "float32";
        int threads = 0;
        int batch = 64;
        int promptLen = 32;
        int newTokens = 128;
        int trainBatch = 8;
        int trainLen = 256;
        int repeats = 3;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--preset" -> preset = args[++i];
                case "--model" -> model = args[++i];
                case "--device" -> device = args[++i];
                case "--dtype" -> dtype = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--prompt-len" -> promptLen = Integer.parseInt(args[++i]);
                case "--new-tokens" -> newTokens = Integer.parseInt(args[++i]);
                case "--train-batch" -> trainBatch = Integer.parseInt(args[++i]);
                case "--train-len" -> trainLen = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (see the class "
                        + "comment of PolicyBench for the options)");
            }
        }
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        PolicySettings settings = new PolicySettings(new OptimizerSettings(1e-4, 0.0, 0.9, 0.999, 1e-8, 1.0,
                new LrSchedule("constant", 0, 0)), (LoraSettings) null, null, 0, 0, false);
        try (DjlBackend backend = new DjlBackend(device, dtype, threads);
             DjlPolicyModel policy = model == null ? TinyPolicyFactory.create(backend, preset, settings)
                     : Policies.fromCheckpoint(backend, Path.of(model), HfTokenizers.load(Path.of(model)), settings)) {
            int vocab = policy.config().vocabSize();
            Random rnd = new Random(0);
            double matmul = backend.measureMatmulFlops(1024, 10);
            long params = policy.config().parameterCount();

            List<GenerationRequest> reqs = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                reqs.add(new GenerationRequest("r" + i, randomTokens(rnd, promptLen, vocab), 1));
            }
            policy.generate(reqs.subList(0, Math.min(4, batch)), SamplingParams.greedy(4)); // warm-up
            double genSeconds = Double.MAX_VALUE;
            long genTokens = 0;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                var groups = policy.generate(reqs, new SamplingParams(newTokens, 1.0, 1.0, 0, false, List.of(), r));
                double s = (System.nanoTime() - t0) / 1e9;
                if (s < genSeconds) {
                    genSeconds = s;
                    genTokens = groups.stream().mapToLong(g -> g.completions().get(0).length()).sum();
                }
            }
            double genTps = genTokens / genSeconds;

            List<TokenSequence> seqs = new ArrayList<>();
            for (int i = 0; i < trainBatch; i++) {
                seqs.add(new TokenSequence(randomTokens(rnd, trainLen / 4, vocab),
                        randomTokens(rnd, trainLen - trainLen / 4, vocab)));
            }
            double trainSeconds = Double.MAX_VALUE;
            for (int r = 0; r < repeats + 1; r++) {
                long t0 = System.nanoTime();
                policy.accumulateGradients(seqs, scores -> {
                    List<float[]> g = new ArrayList<>();
                    scores.forEach(s -> {
                        float[] a = new float[s.logprobs().length];
                        java.util.Arrays.fill(a, -1f / (s.logprobs().length * scores.size()));
                        g.add(a);
                    });
                    return new LossGradients(0, g, null);
                }, false);
                policy.optimizerStep();
                double s = (System.nanoTime() - t0) / 1e9;
                if (r > 0) { // the first step warms up autograd
                    trainSeconds = Math.min(trainSeconds, s);
                }
            }
            double trainTps = (double) trainBatch * trainLen / trainSeconds;
            // model FLOPs: 2·N per generated token, 6·N per trained token (attention terms omitted)
            double genFraction = 2.0 * params * genTps / matmul;
            double trainFraction = 6.0 * params * trainTps / matmul;
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("implementation", "prefopt-djl");
            o.put("model", model == null ? preset : model);
            o.put("parameters", params);
            o.put("device", backend.info().device());
            o.put("dtype", dtype);
            o.put("threads", backend.info().threads());
            o.put("generation_batch", batch);
            o.put("generation_new_tokens", newTokens);
            o.put("generation_tokens_per_s", genTps);
            o.put("train_batch", trainBatch);
            o.put("train_seq_len", trainLen);
            o.put("train_tokens_per_s", trainTps);
            o.put("matmul_flops", matmul);
            o.put("generation_matmul_fraction", genFraction);
            o.put("train_matmul_fraction", trainFraction);
            if (json) {
                System.out.println(o);
            } else {
                System.out.printf("%s (%,d parameters) on %s/%s, %d threads%n", o.get("model").asText(), params,
                        backend.info().device(), dtype, backend.info().threads());
                System.out.printf("matmul rate (1024³): %.1f GFLOP/s%n", matmul / 1e9);
                System.out.printf("generation: %.0f tokens/s (batch %d, %d new tokens), %.1f%% of matmul rate%n",
                        genTps, batch, newTokens, 100 * genFraction);
                System.out.printf("training:   %.0f tokens/s (batch %d × %d, fwd+bwd+AdamW), %.1f%% of matmul rate%n",
                        trainTps, trainBatch, trainLen, 100 * trainFraction);
            }
        }
    }

    private static int[] randomTokens(Random rnd, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            // avoid the low ids where the character tokenizer keeps its end-of-text tokens
            t[i] = 100 + rnd.nextInt(vocab - 100);
        }
        return t;
    }
}
