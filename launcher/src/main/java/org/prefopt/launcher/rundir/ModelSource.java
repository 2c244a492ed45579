package org.prefopt.launcher.rundir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code prefopt eval --model <dir>} names: a run directory with the checkpoint to load (also when the
 * directory given is one of its {@code checkpoints/step-<N>} directories), or a Hugging Face checkpoint directory.
 *
 * @param runDirectory the run directory, or null for a Hugging Face checkpoint
 * @param checkpoint   the run's checkpoint to load, or null for a Hugging Face checkpoint
 * @param hfDirectory  the Hugging Face checkpoint directory, or null for a run
 */
public record ModelSource(Path runDirectory, CheckpointStore.Checkpoint checkpoint, Path hfDirectory) {

    static final String HF_CONFIG = "config.json";

    /** {@code --model} or {@code --checkpoint} names nothing that can be loaded; the message says what to pass. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message);
        }
    }
    private static final Pattern STEP = Pattern.compile("(?:step-)?(\\d+)");

    public boolean isRun() {
        return runDirectory != null;
    }

    /** The training step of the loaded weights: the checkpoint's step, 0 for a Hugging Face checkpoint. */
    public int step() {
        return checkpoint == null ? 0 : checkpoint.state().step();
    }

    /**
     * @param checkpointArg {@code step-<N>} or {@code <N>} ({@code --checkpoint}), or null for the newest
     * @throws Unusable naming what to pass when {@code dir} is none of the above or the checkpoint is missing
     */
    public static ModelSource of(Path dir, String checkpointArg) {
        if (!Files.exists(dir)) {
            throw new Unusable("--model " + dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new Unusable("--model " + dir + ": not a directory (expected a run directory or a Hugging"
                    + " Face checkpoint directory)");
        }
        if (Files.isRegularFile(dir.resolve(RunDirectory.CONFIG_FILE))) {
            return new ModelSource(dir, runCheckpoint(dir, checkpointArg), null);
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
                return new ModelSource(parent.getParent(), CheckpointStore.read(dir), null);
            } catch (IllegalArgumentException e) {
                throw new Unusable("--model " + e.getMessage());
            }
        }
        if (Files.isRegularFile(dir.resolve(HF_CONFIG))) {
            if (checkpointArg != null) {
                throw new Unusable("--checkpoint chooses a checkpoint of a run directory, but " + dir
                        + " is a Hugging Face checkpoint directory; drop --checkpoint");
            }
            return new ModelSource(null, null, dir);
        }
        String hint = Files.isRegularFile(dir.resolve("adapter_config.json"))
                ? " It looks like a PEFT adapter directory, which eval does not load on its own: evaluate the run"
                + " directory that trained it, or an export with merged adapters."
                : "";
        throw new Unusable("--model " + dir + " is neither a run directory (with " + RunDirectory.CONFIG_FILE
                + " and " + RunDirectory.CHECKPOINTS + "/) nor a Hugging Face checkpoint directory (with " + HF_CONFIG
                + ")." + hint);
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
