package org.prefopt.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built distribution's {@code bin/prefopt} as a separate process, as a user would. */
final class Distribution {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Distribution() {
    }

    static Path home() {
        String dist = System.getProperty("prefopt.dist");
        if (dist == null) {
            throw new IllegalStateException("system property prefopt.dist is not set: run the end-to-end tests with"
                    + " 'mvn verify' (failsafe sets it to launcher/target/prefopt)");
        }
        return Path.of(dist);
    }

    static Path example(String relative) {
        return Path.of(System.getProperty("prefopt.examples", "../examples")).resolve(relative);
    }

    /** Starts {@code prefopt args...} with stdout and stderr merged into {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/prefopt").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs {@code prefopt args...} to completion (at most {@code timeoutSeconds}). */
    static Result run(Path workDir, long timeoutSeconds, String... args) throws Exception {
        Path log = Files.createTempFile(workDir, "prefopt-", ".log");
        Process process = start(log, args);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("prefopt " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                    + " s; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {
    }

    /** The lines of a run's metrics.jsonl that hold {@code key}, in step order (a line without it is left out). */
    static List<JsonNode> metrics(Path runDir, String key) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode m = JSON.readTree(line);
            if (m.has(key)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The mean of {@code key} over metrics lines that all hold it. */
    static double mean(List<JsonNode> lines, String key) {
        double s = 0;
        for (JsonNode n : lines) {
            if (!n.has(key)) {
                throw new AssertionError("metrics lack " + key + ": " + n);
            }
            s += n.get(key).asDouble();
        }
        return s / lines.size();
    }
}
