package org.prefopt.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The peak resident memory that {@code prefopt bench} reports, read from {@code /proc/self/status}. */
class PeakResidentMemoryTest {

    @Test
    void peakIsReadFromTheVmHwmLine() {
        assertEquals(OptionalLong.of(123456L * 1024), PeakResidentMemory.parse(
                "Name:\tjava\nVmPeak:\t 999999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"));
        assertEquals(OptionalLong.empty(), PeakResidentMemory.parse("Name:\tjava\n"));
    }
}
