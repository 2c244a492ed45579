package org.prefopt.launcher.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * Writes what an evaluation leaves in a run directory (the summary and the greedy generations), from a pattern of
 * greedy outcomes per tier: {@code "1100"} = four problems of that tier, the first two solved. Problem ids are
 * {@code <tier>-<index>}, so two runs written from patterns of the same lengths are evaluated on the same problems.
 */
final class EvalFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalFixtures() {
    }

    /** {@code correct} ones followed by zeros, {@code n} in all. */
    static String solved(int correct, int n) {
        return "1".repeat(correct) + "0".repeat(n - correct);
    }

    static void write(Path runDir, String set, int step, Map<String, String> tiers) {
        try {
            Path dir = Files.createDirectories(runDir.resolve(RunDirectory.EVAL).resolve(set));
            ObjectNode summary = JSON.createObjectNode();
            summary.put("set", set);
            summary.put("step", step);
            ObjectNode greedy = summary.putObject("greedy");
            ObjectNode tierNodes = JSON.createObjectNode();
            StringBuilder lines = new StringBuilder();
            int n = 0;
            int correct = 0;
            for (var t : new java.util.TreeMap<>(tiers).entrySet()) {
                String p = t.getValue();
                int c = (int) p.chars().filter(ch -> ch == '1').count();
                tierNodes.putObject(t.getKey()).put("n", p.length()).put("correct", c);
                n += p.length();
                correct += c;
                for (int i = 0; i < p.length(); i++) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("id", t.getKey() + "-" + i);
                    line.put("difficulty", Integer.parseInt(t.getKey()));
                    line.put("mode", "greedy");
                    line.put("sample", 0);
                    line.put("correct", p.charAt(i) == '1');
                    lines.append(JSON.writeValueAsString(line)).append('\n');
                    // a sampled line of the same problem, which the pairing must ignore
                    line.put("mode", "sample");
                    line.put("correct", true);
                    lines.append(JSON.writeValueAsString(line)).append('\n');
                }
            }
            greedy.putObject("overall").put("n", n).put("correct", correct);
            greedy.set("tiers", tierNodes);
            Files.writeString(dir.resolve(RunDirectory.evalSummaryName(step)), JSON.writeValueAsString(summary));
            Files.writeString(dir.resolve(RunDirectory.evalGenerationsName(step)), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
