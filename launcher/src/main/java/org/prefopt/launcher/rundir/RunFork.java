package org.prefopt.launcher.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.prefopt.api.io.AtomicFiles;

/**
 * Starts a new run directory from a checkpoint of another run: the checkpoint, the metrics lines and evaluations up
 * to its step are copied, so resuming the new directory continues from that step with its own (different) later
 * stages. This is how ablations share a warm start: one SFT run, several GRPO variants forked from its end.
 *
 * <p>Checkpoint files are hard-linked when the file system allows (they are never modified after being written),
 * else copied. The checkpoint is placed last and atomically, so an interrupted fork leaves no complete checkpoint and
 * can simply be forked again.
 */
public final class RunFork {

    /** Provenance file in the forked run directory. */

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern EVAL_FILE = Pattern.compile("step-(\\d+)(\\.json|-generations\\.jsonl)");

    private RunFork() {
    }

    /**
     * The checkpoint {@code source} names: a checkpoint directory ({@code .../checkpoints/step-N}) or a run directory
     * (its newest complete checkpoint).
     */
    public static CheckpointStore.Checkpoint checkpoint(Path source) {
        if (Files.isRegularFile(source.resolve(CheckpointStore.LOOP))) {
            return CheckpointStore.read(source);
        }
        if (Files.isDirectory(source.resolve(RunDirectory.CHECKPOINTS))) {
            Optional<CheckpointStore.Checkpoint> latest = new CheckpointStore(source, Integer.MAX_VALUE).latest();
            return latest.orElseThrow(() -> new IllegalArgumentException(source + " holds no complete checkpoint to"
                    + " fork from (is the run still at its first steps?)"));
        }
        throw new IllegalArgumentException(source + " is neither a run directory (with " + RunDirectory.CHECKPOINTS
                + "/) nor a checkpoint directory (with " + CheckpointStore.LOOP + ")");
    }

    /**
     * Fills {@code runDir} (which must hold no checkpoint yet) from {@code source}; afterwards resume the run.
     *
     * @return the step the new run continues after
     */
    public static int fork(Path source, Path runDir) {
        CheckpointStore.Checkpoint cp = checkpoint(source);
        Path sourceRun = cp.directory().toAbsolutePath().getParent().getParent();
        CheckpointStore target = new CheckpointStore(runDir, Integer.MAX_VALUE);
        target.cleanUp();
        if (!target.completeCheckpoints().isEmpty()) {
            throw new IllegalStateException(runDir + " already holds checkpoints; fork into an empty run directory");
        }
        int step = cp.state().step();
        try {
            copyMetrics(sourceRun.resolve(RunDirectory.METRICS_FILE), runDir.resolve(RunDirectory.METRICS_FILE), cp.state().metricsLines());
            copyEvaluations(sourceRun.resolve(RunDirectory.EVAL), runDir.resolve(RunDirectory.EVAL), step);
            ObjectNode provenance = JSON.createObjectNode();
            provenance.put("source", cp.directory().toAbsolutePath().toString());
            provenance.put("step", step);
            AtomicFiles.write(runDir.resolve(RunDirectory.FORKED_FROM), JSON.writeValueAsBytes(provenance));
            Path tmp = target.root().resolve(".tmp-step-" + step + "-" + UUID.randomUUID());
            linkOrCopyTree(cp.directory(), tmp);
            AtomicFiles.move(tmp, target.root().resolve(cp.directory().getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fork " + cp.directory() + " into " + runDir + ": " + e.getMessage(),
                    e);
        }
        return step;
    }

    private static void copyMetrics(Path from, Path to, long lines) throws IOException {
        StringBuilder kept = new StringBuilder();
        long n = 0;
        if (lines > 0) {
            try (BufferedReader r = Files.newBufferedReader(from, StandardCharsets.UTF_8)) {
                String line;
                while (n < lines && (line = r.readLine()) != null) {
                    kept.append(line).append('\n');
                    n++;
                }
            }
        }
        if (n < lines) {
            throw new IOException(from + " has " + n + " lines but the checkpoint was written after " + lines);
        }
        AtomicFiles.write(to, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void copyEvaluations(Path from, Path to, int upToStep) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> sets = Files.list(from)) {
            for (Path set : sets.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(set)) {
                    for (Path f : files.toList()) {
                        Matcher m = EVAL_FILE.matcher(f.getFileName().toString());
                        if (m.matches() && Integer.parseInt(m.group(1)) <= upToStep) {
                            AtomicFiles.write(to.resolve(set.getFileName()).resolve(f.getFileName()),
                                    Files.readAllBytes(f));
                        }
                    }
                }
            }
        }
    }

    private static void linkOrCopyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    try {
                        Files.createLink(q, p);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(p, q);
                    }
                }
            }
        }
    }
}
