package org.prefopt.launcher.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.prefopt.launcher.rundir.RunDirectory;

/** Reads back the {@code eval/<set>/step-<N>.json} summaries the {@link Evaluator} writes. */
public final class EvalSummaryReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("step-(\\d+)\\.json");

    private EvalSummaryReader() {
    }

    /** Every summary of a run directory, by set name then step. Empty when the run has not evaluated yet. */
    public static List<EvalSummary> readAll(Path runDirectory) {
        Path root = runDirectory.resolve(RunDirectory.EVAL);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<EvalSummary> out = new ArrayList<>();
        try (Stream<Path> sets = Files.list(root)) {
            for (Path set : sets.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(set)) {
                    for (Path f : files.toList()) {
                        if (SUMMARY.matcher(f.getFileName().toString()).matches()) {
                            out.add(read(f));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(EvalSummary::set).thenComparingInt(EvalSummary::step));
        return out;
    }

    /** The last evaluation of each set. */
    public static Map<String, EvalSummary> latest(Path runDirectory) {
        Map<String, EvalSummary> out = new LinkedHashMap<>();
        readAll(runDirectory).forEach(s -> out.put(s.set(), s));
        return out;
    }

    /** One summary file; a file that is not one gets an error naming it. */
    public static EvalSummary read(Path file) {
        JsonNode root = readTree(file);
        Matcher m = SUMMARY.matcher(file.getFileName().toString());
        if (root == null || !root.path("set").isTextual() || !root.path("step").isInt()) {
            throw new IllegalArgumentException(file + ": an evaluation summary needs \"set\" and \"step\"");
        }
        int step = root.get("step").asInt();
        if (m.matches() && Integer.parseInt(m.group(1)) != step) {
            throw new IllegalArgumentException(file + ": says step " + step + " but is named for step " + m.group(1));
        }
        Proportion greedy = null;
        Map<String, Proportion> tiers = new LinkedHashMap<>();
        JsonNode g = root.path("greedy");
        if (g.isObject()) {
            greedy = proportion(g.path("overall"), file, "greedy.overall");
            for (var it = g.path("tiers").fields(); it.hasNext(); ) {
                var e = it.next();
                tiers.put(e.getKey(), proportion(e.getValue(), file, "greedy.tiers." + e.getKey()));
            }
        }
        Estimate meanAtK = null;
        JsonNode s = root.path("sampled").path("mean_at_k").path("overall");
        if (s.isObject()) {
            meanAtK = new Estimate(s.path("n").asInt(), s.path("mean").asDouble(), s.path("ci95").path(0).asDouble(),
                    s.path("ci95").path(1).asDouble());
        }
        Map<String, Integer> overlap = new LinkedHashMap<>();
        root.path(Evaluator.TRAINING_OVERLAP).fields()
                .forEachRemaining(e -> overlap.put(e.getKey(), e.getValue().asInt()));
        return new EvalSummary(root.get("set").asText(), step, greedy, tiers, meanAtK, file, overlap);
    }

    private static JsonNode readTree(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable evaluation summary (" + e.getMessage() + ")",
                    e);
        }
    }

    private static Proportion proportion(JsonNode node, Path file, String what) {
        if (!node.path("n").canConvertToLong() || !node.path("correct").canConvertToLong()) {
            throw new IllegalArgumentException(file + ": " + what + " needs integer \"n\" and \"correct\"");
        }
        return Proportion.of(node.get("correct").asLong(), node.get("n").asLong());
    }
}
