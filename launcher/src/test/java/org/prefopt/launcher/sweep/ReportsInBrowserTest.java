package org.prefopt.launcher.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.report.RunReport;

/**
 * The run reports and the sweep comparison open in a real browser (Debian's headless Chromium) with every image
 * decoded and no error. The pages have no scripts; the test loads a copy with a probe script appended that lists
 * images that failed to load and any error event, and reads its verdict from the dumped DOM.
 */
class ReportsInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String PROBE = """
            <script>
            window.__errors = [];
            window.addEventListener('error', e => window.__errors.push(String(e.message || (e.target && e.target.src))), true);
            window.addEventListener('load', () => {
              const bad = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));
              const p = document.createElement('pre');
              p.textContent = 'PROBE images=' + document.images.length + ' broken=' + JSON.stringify(bad)
                  + ' errors=' + JSON.stringify(window.__errors) + ' title=' + document.title;
              document.body.appendChild(p);
            });
            </script>
            """;

    @TempDir
    Path tmp;

    @Test
    void reportsOpenInHeadlessChromiumWithEveryImageAndNoError() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed: apt-get install chromium"
                + " (Debian) to run the browser check of the reports");
        String text = "run { seed = 1, output-dir = \"" + tmp.resolve("out") + "\" }\nalgorithm { type = grpo }\n"
                + "eval { sets = [ { name = heldout } ] }\n"
                + "sweep { name = s, compare-to = base, variants = [ { name = base }, { name = all, fork-from = base }"
                + " ], findings { plateau { set = heldout, variant = all, reference = base } } }";
        SweepSpec spec = SweepFile.parse(RunConfigLoader.parse(text, "s.conf", List.of()), "s", "s.conf");
        SweepRunnerTest.FakeRuns runs = new SweepRunnerTest.FakeRuns();
        runs.correct = Map.of("base", new int[] {5, 1}, "all", new int[] {8, 2});
        SweepRunner runner = new SweepRunner(spec, runs);
        runner.run();
        List<Path> pages = new ArrayList<>();
        for (Variant v : spec.variants()) {
            pages.add(RunReport.write(SweepRunner.runDirectory(spec, v)));
        }
        pages.add(ComparisonReport.write(Comparison.read(spec, runner), spec));

        for (Path page : pages) {
            String html = Files.readString(page, StandardCharsets.UTF_8);
            Path probed = page.resolveSibling("probe-" + page.getFileName());
            Files.writeString(probed, html.replace("</head>", PROBE + "</head>"), StandardCharsets.UTF_8);
            String dom = dumpDom(probed);
            String verdict = dom.lines().filter(l -> l.contains("<pre>PROBE images=")).findFirst()
                    .orElseThrow(() -> new AssertionError(page + ": the page did not finish loading:\n" + dom));
            assertTrue(verdict.contains("broken=[] errors=[]"), page + ": " + verdict);
            int images = (int) html.lines().filter(l -> l.contains("<img ")).count();
            assertTrue(images > 0, page + " has no plot");
            assertTrue(verdict.contains("images=" + images), page + ": " + verdict);
        }
    }

    private String dumpDom(Path page) throws Exception {
        Path out = tmp.resolve("dom.txt");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=5000", "--dump-dom",
                page.toUri().toString()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium exit code");
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
