package org.prefopt.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;

/** Small fixture files written by the tests themselves. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path write(Path dir, String name, String... lines) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, String.join("\n", lines) + (lines.length > 0 ? "\n" : ""), StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeBytes(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All examples, with skipped issues collected into {@code skipped}. */
    public static List<Example> read(Dataset d, List<DataIssue> skipped) {
        try (Stream<Example> s = d.examples(skipped::add)) {
            return s.toList();
        }
    }

    public static List<Example> read(Dataset d) {
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> out = read(d, skipped);
        if (!skipped.isEmpty()) {
            throw new AssertionError("unexpected skipped records: " + skipped);
        }
        return out;
    }

    public static Example example(String id, String prompt, String answer, int difficulty, String subject) {
        return new Example(id, prompt, answer, null, difficulty, subject, "test", null);
    }
}
