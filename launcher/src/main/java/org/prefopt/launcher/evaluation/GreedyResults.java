package org.prefopt.launcher.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * Reads back each problem's greedy result from the {@code eval/<set>/step-<N>-generations.jsonl} file the
 * {@link Evaluator} writes next to a summary: what paired comparisons of two runs match problem by problem.
 */
public final class GreedyResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One problem's greedy outcome.
     *
     * @param id      the example id
     * @param tier    its difficulty tier, named as in the summaries ({@link Evaluator#tierName})
     * @param correct whether the greedy completion was graded correct
     */
    public record Result(String id, String tier, boolean correct) {
    }

    private GreedyResults() {
    }

    /** The generations file that belongs to a summary. */
    public static Path generationsFile(EvalSummary summary) {
        return summary.summaryFile().resolveSibling(RunDirectory.evalGenerationsName(summary.step()));
    }

    /** The greedy results of one evaluation, by id in file order; the file must exist and hold greedy lines. */
    public static Map<String, Result> read(EvalSummary summary) {
        return read(generationsFile(summary));
    }

    public static Map<String, Result> read(Path file) {
        Map<String, Result> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not a JSON line (" + e.getMessage()
                            + ")", e);
                }
                if (!"greedy".equals(n.path("mode").asText())) {
                    continue;
                }
                if (!n.path("id").isTextual() || !n.path("correct").isBoolean() || !n.path("difficulty").isInt()) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": a greedy generation needs a string"
                            + " \"id\", an integer \"difficulty\" and a boolean \"correct\"");
                }
                Result r = new Result(n.get("id").asText(), Evaluator.tierName(n.get("difficulty").asInt()),
                        n.get("correct").asBoolean());
                if (out.put(r.id(), r) != null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": problem id '" + r.id() + "' appears"
                            + " twice; a paired comparison needs unique ids per eval set");
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " is missing: paired comparisons read each problem's greedy"
                    + " result from it (re-evaluate that checkpoint with prefopt eval to write it)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " has no greedy generations (mode = greedy); paired comparisons"
                    + " need the eval set's greedy pass");
        }
        return out;
    }
}
