package org.prefopt.backends.djl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** torch.amp.GradScaler's update rule (_amp_update_scale_), step by step, against hand-computed values. */
class GradScalerTest {

    @Test
    void backsOffOnInfAndGrowsAfterTheIntervalOfCleanSteps() {
        GradScaler s = GradScaler.enabled(new LossScaleSettings(65536, 2.0, 0.5, 3));
        assertEquals(65536, s.scale());
        s.update(true);
        assertEquals(32768, s.scale());
        s.update(false);
        s.update(false);
        assertEquals(32768, s.scale());
        assertEquals(2, s.growthTracker());
        s.update(true); // an overflow resets the count of clean steps
        assertEquals(16384, s.scale());
        assertEquals(0, s.growthTracker());
        s.update(false);
        s.update(false);
        s.update(false);
        assertEquals(32768, s.scale());
        assertEquals(0, s.growthTracker());
    }

    @Test
    void neverGrowsPastFloat32AsPyTorchKeepsAFiniteScale() {
        GradScaler s = GradScaler.enabled(new LossScaleSettings(Math.scalb(1.0, 127), 2.0, 0.5, 1));
        s.update(false);
        assertEquals(Math.scalb(1.0, 127), s.scale());
    }

    @Test
    void disabledScalesByOneForever() {
        GradScaler s = GradScaler.disabled();
        assertFalse(s.isEnabled());
        s.update(true);
        s.update(false);
        assertEquals(1.0, s.scale());
    }

    @Test
    void settingsAndRestoreRefuseNonsense() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LossScaleSettings(0, 2, 0.5, 10));
        assertTrue(e.getMessage().contains("loss-scale.initial"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LossScaleSettings(1e39, 2, 0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaleSettings(1024, 1, 0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaleSettings(1024, 2, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaleSettings(1024, 2, 0.5, 0));
        GradScaler s = GradScaler.enabled(LossScaleSettings.DEFAULTS);
        assertThrows(IllegalArgumentException.class, () -> s.restore(Double.NaN, 0));
        s.restore(512, 7);
        assertEquals(512, s.scale());
        assertEquals(7, s.growthTracker());
    }
}
