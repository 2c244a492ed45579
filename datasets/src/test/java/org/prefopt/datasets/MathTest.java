package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.api.text.BoxedAnswers;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.math.MathDataset;

class MathTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "so $\\boxed{2}$.                                  | 2",
            "$\\boxed{\\frac{1}{2}}$                            | \\frac{1}{2}",
            "first \\boxed{1} then \\boxed{\\dfrac{9}{7}}        | \\dfrac{9}{7}",
            "\\fbox{12} is it                                   | 12",
            "\\boxed{3} and \\fbox{4}                            | 4",
            "the answer is $\\boxed 5$.                         | 5",
            "$\\boxed{\\{1,2\\}}$                                | \\{1,2\\}",
            "$\\boxed{x^{2}+\\sqrt{3}}$                          | x^{2}+\\sqrt{3}",
            "\\boxed{ 7 }                                       | 7",
            "\\boxed{unbalanced                                 | NONE",
            "no box here                                        | NONE",
            "\\boxedtext{3}                                     | NONE",
    })
    void lastBoxed(String solution, String expected) {
        assertEquals(Optional.ofNullable(expected), Optional.ofNullable(BoxedAnswers.lastBoxed(solution.strip()).content()));
    }

    @Test
    void jsonlWithSolutionsAndWithAnswers() {
        Path p = Fixtures.write(dir, "test.jsonl",
                "{\"problem\":\"P1\",\"level\":\"Level 3\",\"type\":\"Algebra\","
                        + "\"solution\":\"Thus $\\\\boxed{\\\\frac{1}{2}}$.\"}",
                "{\"problem\":\"P2\",\"level\":\"Level 5\",\"subject\":\"Geometry\",\"unique_id\":\"test/geometry/1.json\","
                        + "\"answer\":\"24\"}",
                "{\"problem\":\"P3\",\"level\":\"Level ?\",\"subject\":\"Geometry\",\"answer\":\"52\"}",
                "{\"problem\":\"P4\",\"level\":\"Level 2\",\"type\":\"Algebra\",\"solution\":\"no box\"}");
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(new MathDataset(p, BadRecordPolicy.SKIP), skipped);
        assertEquals(2, ex.size());
        assertEquals("\\frac{1}{2}", ex.get(0).goldAnswer());
        assertEquals(3, ex.get(0).difficulty());
        assertEquals("Algebra", ex.get(0).subject());
        assertEquals("test.jsonl:1", ex.get(0).id());
        assertEquals("test/geometry/1.json", ex.get(1).id());
        assertEquals("24", ex.get(1).goldAnswer());
        assertEquals(5, ex.get(1).difficulty());
        assertEquals("Geometry", ex.get(1).subject());
        assertEquals(2, skipped.size());
        assertEquals(3, skipped.get(0).line());
        assertTrue(skipped.get(0).reason().contains("level \"Level ?\" is not one of Level 1..Level 5"),
                skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("\\boxed"), skipped.get(1).reason());

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(new MathDataset(p, BadRecordPolicy.FAIL)));
        assertEquals(3, e.issue().line());
    }

    @Test
    void directoryTree() {
        Path root = dir.resolve("MATH").resolve("test");
        Fixtures.write(root, "algebra/2.json",
                "{\"problem\":\"A2\",\"level\":\"Level 1\",\"type\":\"Algebra\",\"solution\":\"\\\\boxed{5}\"}");
        Fixtures.write(root, "algebra/1.json",
                "{\"problem\":\"A1\",\"level\":\"Level 4\",\"type\":\"Algebra\",\"solution\":\"\\\\fbox{6}\"}");
        Fixtures.write(root, "geometry/1.json", "{\"problem\":\"G1\",\"level\":\"Level ?\",\"type\":\"Geometry\"}");
        Fixtures.write(root, "geometry/notes.txt", "ignored");
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(new MathDataset(root, BadRecordPolicy.SKIP), skipped);
        assertEquals(List.of("test/algebra/1.json", "test/algebra/2.json"), ex.stream().map(Example::id).toList());
        assertEquals(List.of("6", "5"), ex.stream().map(Example::goldAnswer).toList());
        assertEquals(4, ex.get(0).difficulty());
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).file().endsWith("1.json"));
        assertThrows(DataFormatException.class, () -> Fixtures.read(new MathDataset(root, BadRecordPolicy.FAIL)));
        Path emptyDir = dir.resolve("emptydir");
        Fixtures.write(emptyDir, "x.txt", "nothing");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(new MathDataset(emptyDir, BadRecordPolicy.SKIP)));
        assertTrue(e.getMessage().contains("no .json files"), e.getMessage());
    }
}
