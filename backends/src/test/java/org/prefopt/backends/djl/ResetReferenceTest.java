package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.LoraExportTest.INPUT;
import static org.prefopt.backends.djl.LoraExportTest.train;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;
import static org.prefopt.backends.djl.PolicyDiagnostics.maxDiff;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.backends.djl.policy.DjlPolicyModel;

/** A stage that starts from the previous stage's result compares with that result, under LoRA and full tuning. */
class ResetReferenceTest {

    @Test
    void loraMergesAdaptersSoTheCurrentModelBecomesTheReference(@TempDir Path tmp) {
        float[] policyAfterReset;
        float[] policyAfterMoreTraining;
        float[] referenceAfterMoreTraining;
        try (DjlPolicyModel p = Fixtures.policy("qwen2", 5e-2, Fixtures.lora())) {
            train(p, 4);
            float[] trained = logits(p, INPUT, ScoringMode.POLICY);
            assertTrue(maxDiff(trained, logits(p, INPUT, ScoringMode.REFERENCE)) > 1e-3, "training changed nothing");

            p.resetReference();
            policyAfterReset = logits(p, INPUT, ScoringMode.POLICY);
            double unchanged = maxDiff(trained, policyAfterReset);
            assertTrue(unchanged < 1e-5, "merging changed the model by " + unchanged);
            assertArrayEquals(policyAfterReset, logits(p, INPUT, ScoringMode.REFERENCE),
                    "with zeroed adapters, adapters-off must be the merged model");

            p.saveTrainingState(tmp.resolve("state"));
            assertTrue(Files.exists(tmp.resolve("state").resolve("base.safetensors")), "merged base not saved");
            train(p, 3);
            policyAfterMoreTraining = logits(p, INPUT, ScoringMode.POLICY);
            referenceAfterMoreTraining = logits(p, INPUT, ScoringMode.REFERENCE);
            assertTrue(maxDiff(policyAfterMoreTraining, policyAfterReset) > 1e-3, "adapters did not train again");
            assertArrayEquals(policyAfterReset, referenceAfterMoreTraining, "the reference moved with training");
        }
        try (DjlPolicyModel fresh = Fixtures.policy("qwen2", 5e-2, Fixtures.lora())) {
            fresh.loadTrainingState(tmp.resolve("state"));
            assertArrayEquals(policyAfterReset, logits(fresh, INPUT, ScoringMode.POLICY));
            assertArrayEquals(policyAfterReset, logits(fresh, INPUT, ScoringMode.REFERENCE));
            train(fresh, 3);
            assertArrayEquals(policyAfterMoreTraining, logits(fresh, INPUT, ScoringMode.POLICY),
                    "resumed training after the reset diverged");
        }
    }

    @Test
    void fullFineTuningCopiesTheCurrentWeights(@TempDir Path tmp) {
        try (DjlPolicyModel p = Fixtures.policy("llama", 1e-2, null)) {
            float[] initial = logits(p, INPUT, ScoringMode.POLICY);
            train(p, 2);
            float[] trained = logits(p, INPUT, ScoringMode.POLICY);
            assertArrayEquals(initial, logits(p, INPUT, ScoringMode.REFERENCE), "before the reset: the initial model");

            p.resetReference();
            assertArrayEquals(trained, logits(p, INPUT, ScoringMode.REFERENCE));
            train(p, 2);
            assertTrue(maxDiff(trained, logits(p, INPUT, ScoringMode.POLICY)) > 1e-4, "training stopped");
            assertArrayEquals(trained, logits(p, INPUT, ScoringMode.REFERENCE), "the reference moved with training");
            p.saveTrainingState(tmp.resolve("state"));
        }
        try (DjlPolicyModel fresh = Fixtures.policy("llama", 1e-2, null)) {
            fresh.loadTrainingState(tmp.resolve("state"));
            float[] ref = logits(fresh, INPUT, ScoringMode.REFERENCE);
            try (DjlPolicyModel again = Fixtures.policy("llama", 1e-2, null)) {
                train(again, 2);
                assertArrayEquals(logits(again, INPUT, ScoringMode.POLICY), ref, "saved reference is not the snapshot");
            }
        }
    }
}
