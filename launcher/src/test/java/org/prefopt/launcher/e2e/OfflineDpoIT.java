package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline DPO through the distribution on a small preference file written here: the implicit reward margin and the
 * preference accuracy on the training pairs must rise, as DPO's do when it learns the preferences.
 */
class OfflineDpoIT {

    @TempDir
    Path dir;

    @Test
    void marginsAndAccuraciesRiseOnTheTrainingPairs() throws Exception {
        OfflinePreferenceRun.Rise rise = OfflinePreferenceRun.run(dir, "offline-dpo", false, 60, 8, "beta = 0.1")
                .rise(10);
        System.out.println("offline DPO: " + rise);
        assertTrue(rise.marginsLast() > rise.marginsFirst() + 0.5, "margins did not rise: " + rise);
        assertTrue(rise.accuraciesLast() > rise.accuraciesFirst() + 0.15, "accuracies did not rise: " + rise);
    }
}
