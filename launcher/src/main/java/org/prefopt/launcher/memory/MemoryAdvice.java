package org.prefopt.launcher.memory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.ResolvedComponent;

/**
 * The settings that would lower a run's memory peak, each with the peak the plan gives with it: the policy's
 * memory-saving options (gradient checkpointing, chunked logits or smaller chunks, LoRA, no reference copy when nothing scores
 * against it) and smaller batches (training micro-batch, prompts per step, evaluation batch). Each is planned by
 * changing that one setting; when none fits alone, all of them together are planned too.
 *
 * @param setting as a user writes it, e.g. {@code policy.gradient-checkpointing = true}
 * @param peak    the plan's peak with it
 */
public record MemoryAdvice(String setting, long peak) {

    /** Tokens per output-layer chunk suggested when logits are computed in one pass. */
    static final int CHUNK_TOKENS = 1024;

    /** Smaller chunks than this are not suggested: each chunk is a matrix product over the whole vocabulary. */
    static final int MIN_CHUNK_TOKENS = 128;

    public static List<MemoryAdvice> of(Config root, List<ResolvedComponent> components, long currentPeak) {
        Map<String, Object> candidates = candidates(root, components);
        List<MemoryAdvice> out = new ArrayList<>();
        Map<String, Object> helping = new LinkedHashMap<>();
        for (Map.Entry<String, Object> c : candidates.entrySet()) {
            peakWith(root, components, Map.of(c.getKey(), c.getValue())).filter(p -> p < currentPeak).ifPresent(p -> {
                out.add(new MemoryAdvice(c.getKey() + " = " + c.getValue(), p));
                helping.put(c.getKey(), c.getValue());
            });
        }
        if (helping.size() > 1) {
            List<String> names = helping.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList();
            peakWith(root, components, helping).ifPresent(p -> out.add(new MemoryAdvice("all of: "
                    + String.join(", ", names), p)));
        }
        return out;
    }

    private static Map<String, Object> candidates(Config root, List<ResolvedComponent> components) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (ResolvedComponent comp : components) {
            Config o = comp.options();
            if (comp.path().equals("policy")) {
                if (o.hasPath("gradient-checkpointing") && !o.getBoolean("gradient-checkpointing")) {
                    c.put("policy.gradient-checkpointing", true);
                }
                if (o.hasPath("logits-chunk-tokens") && o.getInt("logits-chunk-tokens") == 0) {
                    c.put("policy.logits-chunk-tokens", CHUNK_TOKENS);
                } else if (o.hasPath("logits-chunk-tokens") && o.getInt("logits-chunk-tokens") > 2 * MIN_CHUNK_TOKENS) {
                    c.put("policy.logits-chunk-tokens", o.getInt("logits-chunk-tokens") / 2);
                }
                boolean lora = o.hasPath("lora.enabled") && o.getBoolean("lora.enabled");
                if (o.hasPath("lora.enabled") && !lora) {
                    c.put("policy.lora.enabled", true);
                }
                if (!lora && o.hasPath("reference-copy") && o.getBoolean("reference-copy")
                        && noReferenceScoring(components)) {
                    c.put("policy.reference-copy", false);
                }
            } else if (comp.slot() == Slot.ALGORITHM) {
                if (o.hasPath("micro-batch-size") && o.getInt("micro-batch-size") > 1) {
                    c.put(comp.path() + ".micro-batch-size", o.getInt("micro-batch-size") / 2);
                }
                if (o.hasPath("prompts-per-step") && o.getInt("prompts-per-step") > 1) {
                    c.put(comp.path() + ".prompts-per-step", o.getInt("prompts-per-step") / 2);
                }
            }
        }
        if (!root.getConfigList("eval.sets").isEmpty() && root.getInt("eval.batch-size") > 1) {
            c.put("eval.batch-size", root.getInt("eval.batch-size") / 2);
        }
        return c;
    }

    /** GRPO without a KL term and SFT never score with the reference; DPO and anything unknown may. */
    private static boolean noReferenceScoring(List<ResolvedComponent> components) {
        return components.stream().filter(c -> c.slot() == Slot.ALGORITHM).allMatch(c -> c.type().equals("sft")
                || c.type().equals("grpo") && c.options().hasPath("beta") && c.options().getDouble("beta") == 0);
    }

    private static Optional<Long> peakWith(Config root, List<ResolvedComponent> components,
                                                     Map<String, Object> settings) {
        Config r = root;
        List<ResolvedComponent> comps = new ArrayList<>(components);
        for (Map.Entry<String, Object> s : settings.entrySet()) {
            r = r.withValue(s.getKey(), ConfigValueFactory.fromAnyRef(s.getValue()));
            for (int i = 0; i < comps.size(); i++) {
                ResolvedComponent c = comps.get(i);
                String prefix = c.path() + ".";
                if (s.getKey().startsWith(prefix)) {
                    comps.set(i, new ResolvedComponent(c.path(), c.slot(), c.component(), c.options().withValue(
                            s.getKey().substring(prefix.length()), ConfigValueFactory.fromAnyRef(s.getValue()))));
                }
            }
        }
        RunMemory m = RunMemory.of(r, comps);
        return m.plan() == null ? Optional.empty() : Optional.of(m.plan().peak());
    }
}
