package org.prefopt.launcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.evaluation.EvalSummaryReader;

class RunReportTest {

    @TempDir
    Path run;

    /** A small run directory in the real file formats: SFT then GRPO steps, three evaluations. */
    static void writeRun(Path run, String name) throws Exception {
        Files.createDirectories(run.resolve("eval/heldout"));
        Files.writeString(run.resolve("config.conf"), "run { name = \"" + name.replace("\"", "\\\"") + "\" }\n"
                + "policy { type = tiny, preset = tiny }\n"
                + "stages = [ { name = warmup, steps = 4, algorithm { type = sft } },"
                + " { name = grpo, steps = 4, algorithm { type = grpo } } ]\n");
        StringBuilder m = new StringBuilder();
        for (int s = 1; s <= 8; s++) {
            m.append(s <= 4 ? "{\"step\":" + s + ",\"loss\":" + (2.0 / s) + ",\"step_time\":0.5}\n"
                    : "{\"step\":" + s + ",\"loss\":0.01,\"reward\":" + (0.1 * (s - 4))
                    + ",\"completions/mean_length\":" + (20 + s) + ",\"step_time\":0.5}\n");
        }
        Files.writeString(run.resolve("metrics.jsonl"), m.toString());
        int[][] correct = {{0, 0}, {4, 1}, {8, 2}};
        int[] steps = {0, 4, 8};
        for (int i = 0; i < 3; i++) {
            Files.writeString(run.resolve("eval/heldout/step-" + steps[i] + ".json"), """
                    {"set": "heldout", "step": %d, "greedy": {"overall": {"n": 20, "correct": %d},
                     "tiers": {"1": {"n": 10, "correct": %d}, "2": {"n": 10, "correct": %d}}},
                     "sampled": {"mean_at_k": {"overall": {"n": 20, "mean": %f, "ci95": [0.0, 0.5]}}}}
                    """.formatted(steps[i], correct[i][0] + correct[i][1], correct[i][0], correct[i][1], 0.05 * i));
        }
    }

    @Test
    void writesThePageThePlotsAndTheSummaryFromTheFilesAlone() throws Exception {
        writeRun(run, "tiny <script>alert(1)</script> & co");
        Path html = RunReport.write(run);
        String page = Files.readString(html);
        assertTrue(page.contains("tiny &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), "run name escaped");
        assertFalse(page.contains("<script>"), "no script in a report");
        assertTrue(page.contains("<th>tier 1</th>"), page);
        assertTrue(page.contains("Stages: warmup (sft, 4 steps), grpo (grpo, 4 steps)."), page);
        for (String png : new String[] {"accuracy-heldout.png", "tiers-heldout.png", "reward.png", "loss.png",
                "length.png"}) {
            assertTrue(page.contains("src=\"" + png + "\""), png);
            BufferedImage image = ImageIO.read(run.resolve("report").resolve(png).toFile());
            assertEquals(Charts.WIDTH, image.getWidth(), png);
            assertEquals(Charts.HEIGHT, image.getHeight(), png);
        }
        assertFalse(Files.exists(run.resolve("report/dpo.png")), "no DPO metrics, no DPO plot");
        String md = Files.readString(run.resolve("report/summary.md"));
        assertTrue(md.contains("| 8 | 50.0% [29.9, 70.1] n=20 | 80.0% [49.0, 94.3] n=10 | 20.0% [5.7, 51.0] n=10 |"), md);
        assertTrue(md.contains("Mean reward of the last 50 steps: 0.250."), md);
    }

    @Test
    void anEvalSetThatSharesPromptsWithTrainingIsFlaggedInTheReportNotOnlyInTheLog() throws Exception {
        writeRun(run, "x");
        String page = Files.readString(RunReport.write(run));
        assertFalse(page.contains("Not unseen"), "no overlap recorded, no warning");
        Files.writeString(run.resolve("eval/heldout/step-8.json"), """
                {"set": "heldout", "step": 8, "training_overlap": {"training": 7, "stage grpo": 3},
                 "greedy": {"overall": {"n": 20, "correct": 10}, "tiers": {"1": {"n": 20, "correct": 10}}}}
                """);
        String note = "Not unseen: eval set heldout shares prompts with training (7 with the training pool, 3 with the"
                + " stage grpo pool), so its accuracy measures memory as well as generalisation. Use a held-out split"
                + " (the held-out filter, or split = train / held-out of a synthetic dataset).";
        assertTrue(Files.readString(RunReport.write(run)).contains(note));
        assertTrue(Files.readString(run.resolve("report/summary.md")).contains(note));
    }

    @Test
    void theTierChartComparesTheStartOfTheLastStageWithTheEnd() throws Exception {
        writeRun(run, "x");
        var evals = org.prefopt.launcher.evaluation.EvalSummaryReader.readAll(run);
        assertEquals(4, RunReport.startOfLastStage(run, evals).step(), "the GRPO stage starts at step 4");
    }

    @Test
    void anEmptyRunGetsAPageAndACorruptMetricsLineAClearError() throws Exception {
        Path html = RunReport.write(run);
        assertTrue(Files.readString(html).contains("No evaluation yet"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":1.0}\n{\"step\":2,\"loss\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunReport.write(run));
        assertTrue(e.getMessage().startsWith(run.resolve("metrics.jsonl") + ":2: not a JSON metrics line"),
                e.getMessage());
    }
}
