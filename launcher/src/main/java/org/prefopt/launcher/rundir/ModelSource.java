package org.prefopt.launcher.rundir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code --model <dir>} names (eval, generate, export): a run directory with the checkpoint to load (also when
 * the directory given is one of its {@code checkpoints/step-<N>} directories), a PEFT adapter directory on its base
 * model, or a Hugging Face checkpoint directory (a merged export is one). The one place that tells them apart.
 *
 * @param runDirectory     the run directory, or null
 * @param checkpoint       the run's checkpoint to load, or null
 * @param hfDirectory      the Hugging Face checkpoint directory (a PEFT adapter's base), or null for a run
 * @param adapterDirectory the PEFT adapter directory, or null
 */
public record ModelSource(Path runDirectory, CheckpointStore.Checkpoint checkpoint, Path hfDirectory,
                          Path adapterDirectory) {

    static final String HF_CONFIG = "config.json";
    /** PEFT's adapter files (written by the backends' export under the same names). */
    static final String PEFT_CONFIG = "adapter_config.json";
    static final String PEFT_BASE = "base_model_name_or_path";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code --model}, {@code --checkpoint} or {@code --base} names nothing loadable; the message says what to pass. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message);
        }
    }
    private static final Pattern STEP = Pattern.compile("(?:step-)?(\\d+)");

    public boolean isRun() {
        return runDirectory != null;
    }

    public boolean isAdapter() {
        return adapterDirectory != null;
    }

    /** The directory {@code --model} named: the run, the adapter or the checkpoint directory. */
    public Path directory() {
        return isRun() ? runDirectory : isAdapter() ? adapterDirectory : hfDirectory;
    }

    /** The training step of the loaded weights: the checkpoint's step, 0 otherwise. */
    public int step() {
        return checkpoint == null ? 0 : checkpoint.state().step();
    }

    /**
     * The {@code policy} section that loads a checkpoint or an adapter as it is (the {@code hf} policy, no fresh
     * adapters; an adapter's rank, alpha and targets come from its adapter_config.json). A run's policy is its own
     * config's section, with the checkpoint's training state loaded into it.
     */
    public Map<String, Object> policySection() {
        if (isRun()) {
            throw new IllegalStateException("a run's policy is the policy section of its " + RunDirectory.CONFIG_FILE);
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("type", "hf");
        policy.put("path", hfDirectory.toAbsolutePath().normalize().toString());
        Map<String, Object> lora = new LinkedHashMap<>();
        lora.put("enabled", isAdapter());
        if (isAdapter()) {
            lora.put("adapter", adapterDirectory.toAbsolutePath().normalize().toString());
            lora.put("dropout", 0.0);
        }
        policy.put("lora", lora);
        return policy;
    }

    /** {@link #of(Path, String, Path)} without {@code --base}. */
    public static ModelSource of(Path dir, String checkpointArg) {
        return of(dir, checkpointArg, null);
    }

    /**
     * @param checkpointArg {@code step-<N>} or {@code <N>} ({@code --checkpoint}), or null for the newest
     * @param base          a PEFT adapter's base model directory ({@code --base}), or null for the adapter's
     *                      {@code base_model_name_or_path}
     * @throws Unusable naming what to pass when {@code dir} is none of the above or the checkpoint is missing
     */
    public static ModelSource of(Path dir, String checkpointArg, Path base) {
        if (!Files.exists(dir)) {
            throw new Unusable("--model " + dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new Unusable("--model " + dir + ": not a directory (expected a run directory, a PEFT adapter"
                    + " directory or a Hugging Face checkpoint directory)");
        }
        boolean adapter = Files.isRegularFile(dir.resolve(PEFT_CONFIG));
        if (base != null && !adapter) {
            throw new Unusable("--base names the base model of a PEFT adapter directory, but --model " + dir
                    + " has no " + PEFT_CONFIG + "; drop --base");
        }
        if (checkpointArg != null && adapter) {
            throw new Unusable("--checkpoint chooses a checkpoint of a run directory, but " + dir + " is a PEFT"
                    + " adapter directory; drop --checkpoint");
        }
        if (Files.isRegularFile(dir.resolve(RunDirectory.CONFIG_FILE))) {
            return new ModelSource(dir, runCheckpoint(dir, checkpointArg), null, null);
        }
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (Files.isRegularFile(dir.resolve(CheckpointStore.LOOP)) && parent != null
                && parent.getFileName().toString().equals(RunDirectory.CHECKPOINTS) && parent.getParent() != null
                && Files.isRegularFile(parent.getParent().resolve(RunDirectory.CONFIG_FILE))) {
            if (checkpointArg != null) {
                throw new Unusable("--model " + dir + " already names a checkpoint; drop --checkpoint, or pass"
                        + " the run directory " + parent.getParent() + " with --checkpoint");
            }
            try {
                return new ModelSource(parent.getParent(), CheckpointStore.read(dir), null, null);
            } catch (IllegalArgumentException e) {
                throw new Unusable("--model " + e.getMessage());
            }
        }
        if (adapter) {
            return new ModelSource(null, null, adapterBase(dir, base), dir);
        }
        if (Files.isRegularFile(dir.resolve(HF_CONFIG))) {
            if (checkpointArg != null) {
                throw new Unusable("--checkpoint chooses a checkpoint of a run directory, but " + dir
                        + " is a Hugging Face checkpoint directory; drop --checkpoint");
            }
            return new ModelSource(null, null, dir, null);
        }
        throw new Unusable("--model " + dir + " is neither a run directory (with " + RunDirectory.CONFIG_FILE
                + " and " + RunDirectory.CHECKPOINTS + "/), nor a PEFT adapter directory (with " + PEFT_CONFIG
                + "), nor a Hugging Face checkpoint directory (with " + HF_CONFIG + ").");
    }

    /**
     * The adapter's base: {@code --base}, else its {@code base_model_name_or_path} when that is a local checkpoint
     * directory (as given, else relative to the adapter directory). A Hub name is not downloaded.
     */
    private static Path adapterBase(Path adapter, Path base) {
        if (base != null) {
            if (!Files.isRegularFile(base.resolve(HF_CONFIG))) {
                throw new Unusable("--base " + base + ": not a Hugging Face checkpoint directory (no " + HF_CONFIG
                        + ")");
            }
            return base;
        }
        Path cfg = adapter.resolve(PEFT_CONFIG);
        String named;
        try {
            JsonNode c = JSON.readTree(Files.readString(cfg));
            named = c == null ? "" : c.path(PEFT_BASE).asText("");
        } catch (IOException e) {
            throw new Unusable(cfg + ": cannot read as JSON (" + e.getMessage() + ")");
        }
        if (named.isBlank()) {
            throw new Unusable(cfg + " names no " + PEFT_BASE + "; pass the base model's directory with --base <dir>");
        }
        for (Path candidate : List.of(Path.of(named), adapter.resolve(named))) {
            if (Files.isRegularFile(candidate.resolve(HF_CONFIG))) {
                return candidate;
            }
        }
        throw new Unusable(cfg + ": " + PEFT_BASE + " '" + named + "' is not a local Hugging Face checkpoint"
                + " directory (prefopt loads local checkpoints only); pass its directory with --base <dir>");
    }

    private static CheckpointStore.Checkpoint runCheckpoint(Path runDir, String checkpointArg) {
        // keep-last only matters when writing; this store only reads
        CheckpointStore store = new CheckpointStore(runDir, Integer.MAX_VALUE);
        List<Path> complete = store.completeCheckpoints();
        if (complete.isEmpty()) {
            throw new Unusable("run directory " + runDir + " has no complete checkpoint under "
                    + RunDirectory.CHECKPOINTS + "/ (the run has not written one yet; checkpoint.every sets how often"
                    + " it does)");
        }
        if (checkpointArg == null) {
            return store.latest().orElseThrow();
        }
        Matcher m = STEP.matcher(checkpointArg.strip());
        if (!m.matches()) {
            throw new Unusable("--checkpoint '" + checkpointArg + "': expected step-<N> or <N>, e.g. "
                    + complete.get(complete.size() - 1).getFileName());
        }
        String name = RunDirectory.checkpointName(Integer.parseInt(m.group(1)));
        for (Path p : complete) {
            if (p.getFileName().toString().equals(name)) {
                return CheckpointStore.read(p);
            }
        }
        throw new Unusable("--checkpoint " + checkpointArg + ": run directory " + runDir + " has no complete"
                + " checkpoint " + name + "; available: " + String.join(", ",
                complete.stream().map(p -> p.getFileName().toString()).toList()));
    }
}
