package org.prefopt.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code prefopt bench}: argument checks and the peak-memory reading (runs on the real engine: CommandLineIT). */
class BenchCommandTest {

    @Test
    void negativeChunkSizeIsAUsageError() {
        CliTest.Result r = CliTest.run("bench", "--preset", "tiny", "--logits-chunk-tokens", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("logits-chunk-tokens >= 0"), r.err());
    }

    @Test
    void peakIsReadFromTheVmHwmLine() {
        assertEquals(OptionalLong.of(123456L * 1024), PeakResidentMemory.parse(
                "Name:\tjava\nVmPeak:\t 999999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"));
        assertEquals(OptionalLong.empty(), PeakResidentMemory.parse("Name:\tjava\n"));
    }
}
