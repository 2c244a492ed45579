package org.prefopt.launcher.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogProgressTest {

    @Test
    void lineShowsStepRewardAndEtaFromTheMeanStepTime() {
        LogProgress p = new LogProgress(10);
        p.started(1, 100);
        p.stepDone(1, Map.of("step_time", 2.0, "reward", 0.25));
        p.stepDone(2, Map.of("step_time", 4.0, "reward", 0.5));
        // mean 3 s per step, 98 steps left: 294 s
        assertEquals("step 2/100 reward 0.5000 step_time 4.000 eta 4m54s",
                p.line(2, Map.of("step_time", 4.0, "reward", 0.5)));
        assertEquals("2h00m", LogProgress.formatDuration(7200));
    }

    @Test
    void etaFollowsTheRecentStepTimeWhenAStageIsSlower() {
        LogProgress p = new LogProgress(10);
        p.started(1, 100);
        for (int step = 1; step <= 60; step++) {
            p.stepDone(step, Map.of("step_time", 0.1)); // a fast SFT stage
        }
        for (int step = 61; step <= 80; step++) {
            p.stepDone(step, Map.of("step_time", 1.0)); // a slower GRPO stage: the last 20 steps
        }
        // 20 steps left at 1 s each, not at the run's mean of 0.325 s
        assertEquals("step 80/100 step_time 1.000 eta 0m20s", p.line(80, Map.of("step_time", 1.0)));
    }
}
