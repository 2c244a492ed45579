package org.prefopt.launcher.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.prefopt.api.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints under {@code <run>/checkpoints/step-<N>/}: {@code policy/} (the policy's training state),
 * {@code sampler.bin}, {@code algorithm.bin} and {@code loop.json}.
 *
 * <p>A checkpoint is assembled in a hidden temp directory and renamed into place in one atomic step, so every
 * {@code step-<N>} directory is complete; a crash leaves at most a {@code .tmp-*} directory, which is ignored and
 * cleaned up. The {@code latest} file (also replaced atomically) names the newest checkpoint for people and tools;
 * loading takes the highest complete step, so a crash between the rename and the pointer update loses nothing.
 * Retention renames a checkpoint out of the {@code step-*} namespace before deleting it, so a half-deleted
 * checkpoint is never mistaken for a complete one.
 */
public final class CheckpointStore {

    public static final String LATEST = "latest";
    public static final String POLICY = "policy";
    public static final String SAMPLER = "sampler.bin";
    public static final String ALGORITHM = "algorithm.bin";
    public static final String LOOP = "loop.json";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final int keepLast;

    public CheckpointStore(Path runDirectory, int keepLast) {
        this.root = runDirectory.resolve(RunDirectory.CHECKPOINTS);
        this.keepLast = keepLast;
    }

    /** A complete checkpoint found on disk. */
    public record Checkpoint(Path directory, LoopState state) {

        public byte[] samplerState() {
            return read(directory.resolve(SAMPLER));
        }

        public byte[] algorithmState() {
            return read(directory.resolve(ALGORITHM));
        }

        public Path policyDirectory() {
            return directory.resolve(POLICY);
        }

        private static byte[] read(Path p) {
            try {
                return Files.readAllBytes(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Writes a checkpoint for {@code state.step()}, points {@code latest} at it and applies retention.
     *
     * @param policyWriter writes the policy's training state into the directory it is given
     */
    public Path write(LoopState state, Consumer<Path> policyWriter, byte[] samplerState, byte[] algorithmState) {
        Path target = root.resolve(RunDirectory.checkpointName(state.step()));
        Path tmp = root.resolve(".tmp-step-" + state.step() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            Path policyDir = tmp.resolve(POLICY);
            Files.createDirectories(policyDir);
            policyWriter.accept(policyDir);
            Files.write(tmp.resolve(SAMPLER), samplerState == null ? new byte[0] : samplerState);
            Files.write(tmp.resolve(ALGORITHM), algorithmState == null ? new byte[0] : algorithmState);
            // loop.json goes last and is forced to disk: its presence marks the directory complete.
            AtomicFiles.write(tmp.resolve(LOOP), JSON.writeValueAsBytes(state));
            if (Files.exists(target)) {
                // Only possible when a resumed run redoes a step whose checkpoint a crash left unreferenced.
                retire(target);
            }
            AtomicFiles.move(tmp, target);
            AtomicFiles.write(root.resolve(LATEST), (target.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            throw new IllegalStateException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        } catch (Error e) {
            // out of memory half-way through the policy's state: drop the partial copy (no new allocation of
            // note) and let the error stop the run; the previous checkpoint is untouched
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
        applyRetention();
        return target;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Checkpoint> latest() {
        List<Path> complete = completeCheckpoints();
        if (complete.isEmpty()) {
            return Optional.empty();
        }
        Path newest = complete.get(complete.size() - 1);
        return Optional.of(new Checkpoint(newest, readState(newest)));
    }

    /**
     * Moves a checkpoint out of the resume path, to {@code damaged-step-<N>-<time>} beside it (kept for inspection;
     * delete it when done), so that the newest remaining checkpoint becomes the resume point.
     */
    public Path setAside(Path checkpoint) {
        Path target = root.resolve("damaged-" + checkpoint.getFileName() + "-" + System.currentTimeMillis());
        try {
            AtomicFiles.move(checkpoint, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + checkpoint + " aside: " + e.getMessage(), e);
        }
        LOG.warn("set {} aside as {}", checkpoint, target);
        return target;
    }

    /** Removes what crashes leave behind: half-written ({@code .tmp-*}) and half-deleted ({@code .del-*}) directories. */
    public void cleanUp() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".tmp-step-") || name.startsWith(".del-")) {
                    LOG.info("removing leftover {} from an interrupted checkpoint write or deletion", p);
                    AtomicFiles.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> completeCheckpoints() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                if (stepOf(p) >= 0 && Files.isRegularFile(p.resolve(LOOP))) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(CheckpointStore::stepOf));
        return out;
    }

    private void applyRetention() {
        List<Path> complete = completeCheckpoints();
        for (int i = 0; i < complete.size() - keepLast; i++) {
            try {
                retire(complete.get(i));
            } catch (IOException e) {
                LOG.warn("cannot delete old checkpoint {}: {}", complete.get(i), e.getMessage());
            }
        }
    }

    private void retire(Path checkpoint) throws IOException {
        Path doomed = root.resolve(".del-" + checkpoint.getFileName() + "-" + UUID.randomUUID());
        AtomicFiles.move(checkpoint, doomed);
        AtomicFiles.deleteTree(doomed);
    }

    private static int stepOf(Path p) {
        Matcher m = STEP_DIR.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The complete checkpoint in {@code directory} (a {@code step-<N>} directory with its loop state). */
    public static Checkpoint read(Path directory) {
        if (stepOf(directory) < 0 || !Files.isRegularFile(directory.resolve(LOOP))) {
            throw new IllegalArgumentException(directory + " is not a complete checkpoint (a step-<N> directory with "
                    + LOOP + ")");
        }
        return new Checkpoint(directory, readState(directory));
    }

    private static LoopState readState(Path checkpoint) {
        Path file = checkpoint.resolve(LOOP);
        try {
            LoopState state = JSON.readValue(file.toFile(), LoopState.class);
            if (state.format() != LoopState.FORMAT) {
                throw new IllegalStateException(file + " has checkpoint format " + state.format()
                        + " but this prefopt reads format " + LoopState.FORMAT);
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
