package org.prefopt.launcher.memory;

import com.typesafe.config.Config;
import java.util.List;
import org.prefopt.api.memory.MemoryWorkload;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.ResolvedComponent;

/**
 * The sizes a run asks of its policy ({@link MemoryWorkload}), read from the resolved run file, with a line saying
 * where each came from. The algorithms' batch options are read by the names the bundled algorithms give them
 * ({@code prompts-per-step}, {@code group-size} / {@code completions-per-prompt}, {@code micro-batch-size}; DPO
 * trains on pairs, two sequences each); with stages, the largest over the stages counts.
 *
 * @param source what the generation and training sizes are, in words
 */
public record RunWorkload(MemoryWorkload workload, String source) {

    public static RunWorkload of(Config root, List<ResolvedComponent> components) {
        MemorySettings memory = MemorySettings.from(root);
        int newTokens = root.getInt("generation.max-new-tokens");
        int rolloutPrompts = 0;
        int rolloutRows = 0;
        int trainingRows = 0;
        StringBuilder source = new StringBuilder();
        for (ResolvedComponent c : components) {
            if (c.slot() != Slot.ALGORITHM) {
                continue;
            }
            Config o = c.options();
            int prompts = intOr(o, "prompts-per-step", 0);
            int perPrompt = o.hasPath("group-size") ? o.getInt("group-size")
                    : c.type().equals("dpo") && o.hasPath("pairs") && o.getString("pairs").equals("online")
                    ? intOr(o, "completions-per-prompt", 0) : 0;
            int micro = intOr(o, "micro-batch-size", prompts * Math.max(1, perPrompt));
            int rows = c.type().equals("dpo") ? 2 * micro : micro;
            if (perPrompt > 0 && prompts * perPrompt > rolloutRows) {
                rolloutPrompts = prompts;
                rolloutRows = prompts * perPrompt;
            }
            trainingRows = Math.max(trainingRows, rows);
            source.append(source.isEmpty() ? "" : "; ").append(c.path()).append(" (").append(c.type()).append("): ")
                    .append(perPrompt > 0 ? prompts + " prompts x " + perPrompt + " completions generated, " : "")
                    .append("micro-batches of ").append(rows).append(" sequences");
        }
        int evalPrompts = 0;
        int evalRows = 0;
        List<? extends Config> sets = root.getConfigList("eval.sets");
        if (!sets.isEmpty()) {
            int samples = root.getInt("eval.samples");
            for (Config s : sets) {
                samples = Math.max(samples, s.getInt("samples"));
            }
            evalPrompts = root.getInt("eval.batch-size");
            evalRows = evalPrompts * Math.max(1, samples);
            source.append("; evaluation: ").append(evalPrompts).append(" prompts x ").append(Math.max(1, samples))
                    .append(" samples");
        }
        boolean evalLarger = evalRows > rolloutRows;
        source.append("; prompts up to ").append(memory.promptTokens())
                .append(" tokens (memory.prompt-tokens), completions up to ").append(newTokens)
                .append(" (generation.max-new-tokens)");
        ResolvedComponent backend = find(components, Slot.BACKEND);
        String device = backend != null && backend.options().hasPath("device")
                ? backend.options().getString("device") : "cpu";
        String dtype = backend != null && backend.options().hasPath("dtype")
                ? backend.options().getString("dtype") : "float32";
        ResolvedComponent engine = find(components, Slot.ENGINE);
        String engineType = engine == null ? "policy" : engine.type();
        // the onnxruntime engine holds its own weights and cache, in its own dtype (float32 unless engine.dtype says)
        String engineDtype = engineType.equals("policy") ? dtype
                : engine.options().hasPath("dtype") ? engine.options().getString("dtype") : "float32";
        MemoryWorkload w = new MemoryWorkload(device, dtype, engineType, engineDtype,
                evalLarger ? evalPrompts : rolloutPrompts, evalLarger ? evalRows : rolloutRows, memory.promptTokens(),
                newTokens, trainingRows, newTokens);
        return new RunWorkload(w, source.toString());
    }

    private static int intOr(Config o, String key, int fallback) {
        return o.hasPath(key) ? o.getInt(key) : fallback;
    }

    private static ResolvedComponent find(List<ResolvedComponent> components, Slot<?> slot) {
        return components.stream().filter(c -> c.slot() == slot && !c.path().contains(".")).findFirst().orElse(null);
    }
}
