package org.prefopt.launcher.rundir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.prefopt.api.io.AtomicFiles;

/**
 * {@code metrics.jsonl}: one JSON object per step, {@code step} first, then the metrics by name. Non-finite values
 * are written as {@code null} (JSON has no NaN). Each line is flushed, so a killed run loses at most the line
 * being written; resume truncates the file to the checkpoint's line count anyway.
 */
public final class MetricsLog implements AutoCloseable {


    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final Path file;
    private final BufferedWriter out;
    private long lines;

    private MetricsLog(Path file, long lines) throws IOException {
        this.file = file;
        this.lines = lines;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Opens a new, empty log; fails if one exists (a fresh run must not mix with an old one). */
    public static MetricsLog create(Path runDirectory) {
        Path file = runDirectory.resolve(RunDirectory.METRICS_FILE);
        try {
            Files.createDirectories(runDirectory);
            if (Files.exists(file) && Files.size(file) > 0) {
                throw new IllegalStateException(file + " already holds metrics: this run directory has a run in it. "
                        + "Resume it (prefopt run --resume " + runDirectory + ") or choose another run name.");
            }
            return new MetricsLog(file, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing log cut down to its first {@code keepLines} lines (atomically rewritten), dropping the lines
     * of steps after the checkpoint being resumed.
     */
    public static MetricsLog truncateAndOpen(Path runDirectory, long keepLines) {
        Path file = runDirectory.resolve(RunDirectory.METRICS_FILE);
        try {
            List<String> all = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (all.size() < keepLines) {
                throw new IllegalStateException(file + " has " + all.size() + " lines but the checkpoint recorded "
                        + keepLines + "; the metrics file was edited or lost, so this run cannot be resumed exactly");
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < keepLines; i++) {
                sb.append(all.get(i)).append('\n');
            }
            AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
            return new MetricsLog(file, keepLines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    public void append(int step, Map<String, Double> metrics) {
        ObjectNode node = JSON.createObjectNode();
        node.put("step", step);
        metrics.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                node.putNull(k);
            } else {
                node.put(k, v);
            }
        });
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    public long lines() {
        return lines;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
