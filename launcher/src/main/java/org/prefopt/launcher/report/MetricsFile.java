package org.prefopt.launcher.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run's {@code metrics.jsonl}, read back as one series (step, value) per metric. */
public final class MetricsFile {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsFile.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<double[]>> series;
    private final int steps;

    private MetricsFile(Map<String, List<double[]>> series, int steps) {
        this.series = series;
        this.steps = steps;
    }

    /** Reads the file (missing: no steps yet); a line that is not a metrics object is an error naming it. */
    public static MetricsFile read(Path file) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        int steps = 0;
        if (!Files.exists(file)) {
            return new MetricsFile(series, 0);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String[] lines = text.split("\n", -1);
        // the last element is what follows the last newline: empty, or a line a crash cut short
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            if (line.isBlank()) {
                continue;
            }
            boolean torn = number == lines.length;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                if (torn) {
                    LOG.warn("{}:{}: ignoring the last line, cut short when the run was interrupted", file, number);
                    break;
                }
                throw new IllegalArgumentException(file + ":" + number + ": not a JSON metrics line ("
                        + e.getOriginalMessage() + ")", e);
            }
            if (node == null || !node.isObject() || !node.path("step").canConvertToInt()) {
                throw new IllegalArgumentException(file + ":" + number + ": a metrics line is a JSON object with"
                        + " an integer \"step\"");
            }
            int step = node.get("step").asInt();
            steps++;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("step") && e.getValue().isNumber()) {
                    series.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(new double[] {step, e.getValue().asDouble()});
                }
            }
        }
        return new MetricsFile(series, steps);
    }

    /** Lines in the file. */
    public int steps() {
        return steps;
    }

    public boolean has(String metric) {
        return series.containsKey(metric);
    }

    /** {x = steps, y = values} of a metric, in file order (empty arrays when absent). */
    public double[][] series(String metric) {
        List<double[]> points = series.getOrDefault(metric, List.of());
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new double[][] {x, y};
    }

    /** The trailing moving average over {@code window} points. */
    public static double[] movingAverage(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) {
                sum -= y[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** Where each trailing mean of {@link #movingAverage} belongs: the mean step of its window. */
    public static double[] movingAverageCentres(double[] x, int window) {
        return movingAverage(x, window);
    }

    /** Mean of the last {@code n} values of a metric, or NaN when absent. */
    public double meanOfLast(String metric, int n) {
        double[] y = series(metric)[1];
        if (y.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        int from = Math.max(0, y.length - n);
        for (int i = from; i < y.length; i++) {
            s += y[i];
        }
        return s / (y.length - from);
    }
}
