package org.prefopt.launcher.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resuming must not silently change what a run trains. The resolved configuration of a resume is compared with the
 * one the run's checkpoints were trained with: a difference in anything that shapes the model (policy, data,
 * algorithm, rewards, seed, generation, ...) is refused with the list of keys; the keys that only say how long to
 * train and how often to evaluate, checkpoint or log may change, and each change is recorded in
 * {@link RunDirectory#RESUME_CHANGES}.
 */
public final class ResumeCheck {

    /** Keys that may change when a run is resumed: they do not change what the steps already done trained. */
    public static final Set<String> SAFE_KEYS = Set.of("run.steps", "run.name", "run.output-dir", "run.log-every",
            "run.reward-threads", "eval.every", "eval.at-start", "checkpoint.every", "checkpoint.keep-last",
            "memory.limit", "memory.prompt-tokens");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One key whose value differs; {@code before} or {@code after} is null where the key is absent. */
    public record Change(String key, Object before, Object after) {
        public boolean safe() {
            return SAFE_KEYS.contains(key);
        }

        @Override
        public String toString() {
            return key + ": " + before + " -> " + after;
        }
    }

    private ResumeCheck() {
    }

    /** Every key whose value differs between the two configurations, in key order. */
    public static List<Change> differences(Config trained, Config now) {
        Map<String, Object> a = flatten(trained);
        Map<String, Object> b = flatten(now);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Change> out = new ArrayList<>();
        for (String key : keys) {
            if (!Objects.equals(a.get(key), b.get(key))) {
                out.add(new Change(key, a.get(key), b.get(key)));
            }
        }
        return out;
    }

    /**
     * Checks a resume of {@code runDir} with the resolved configuration {@code now}.
     *
     * @param trained the configuration the run was trained with
     * @return the safe changes (empty when nothing changed), to be recorded with {@link #record}
     * @throws IllegalArgumentException listing the keys that may not change
     */
    public static List<Change> check(Path runDir, Config trained, Config now) {
        List<Change> changes = differences(trained, now);
        List<Change> refused = changes.stream().filter(c -> !c.safe()).toList();
        if (!refused.isEmpty()) {
            StringBuilder m = new StringBuilder("cannot resume " + runDir + " with a configuration that changes what"
                    + " the run trains; these keys differ from the ones its checkpoints were trained with:");
            for (Change c : refused) {
                m.append("\n  ").append(c);
            }
            m.append("\nResume with the run's own configuration (prefopt run --resume ").append(runDir)
                    .append("), or start a new run (--fork-from ").append(runDir)
                    .append(" keeps what it trained). Keys that may change on resume: ")
                    .append(String.join(", ", new TreeSet<>(SAFE_KEYS))).append('.');
            throw new IllegalArgumentException(m.toString());
        }
        return changes;
    }

    /** Appends the changes to the run's {@link RunDirectory#RESUME_CHANGES}, one JSON line each. */
    public static void record(Path runDir, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        String at = Instant.now().toString();
        for (Change c : changes) {
            ObjectNode o = JSON.createObjectNode();
            o.put("time", at);
            o.put("key", c.key());
            o.set("before", JSON.valueToTree(c.before()));
            o.set("after", JSON.valueToTree(c.after()));
            lines.append(o).append('\n');
        }
        try {
            Files.writeString(runDir.resolve(RunDirectory.RESUME_CHANGES), lines, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the resume's changes in " + runDir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> flatten(Config config) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            out.put(e.getKey(), e.getValue().unwrapped());
        }
        return out;
    }
}
