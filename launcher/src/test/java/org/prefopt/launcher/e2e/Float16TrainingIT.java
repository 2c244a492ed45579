package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backend.dtype = float16} trains on the CPU through the distribution: a few SFT then GRPO steps of the tiny
 * policy (LoRA) finish, and every step's metrics carry the loss scaler's {@code loss_scale} and {@code skipped_steps};
 * the run resumes from its checkpoint with the saved scale.
 */
class Float16TrainingIT {

    @TempDir
    Path dir;

    @Test
    void aFloat16RunLogsTheLossScaleAndFinishes() throws Exception {
        Path conf = Files.writeString(dir.resolve("fp16.conf"), """
                run { name = fp16, seed = 3 }
                backend { type = djl-pytorch, device = cpu, dtype = float16 }
                policy { type = tiny, preset = tiny, learning-rate = 2e-3, lora { enabled = true },
                         loss-scale { growth-interval = 2 } }
                dataset { type = synthetic-arithmetic, style = gsm8k, count = 200, seed = 1, max-level = 1 }
                sampler { type = uniform }
                reward = [ { type = gsm8k-answer, weight = 1.0 } ]
                prompt { template = "{question}\\n" }
                generation { max-new-tokens = 12, temperature = 1.0 }
                eval { at-start = false, sets = [] }
                checkpoint { every = 3, keep-last = 2 }
                stages = [ { name = warmup, steps = 3, algorithm { type = sft, prompts-per-step = 8 } },
                           { name = grpo, steps = 3, algorithm { type = grpo, group-size = 4, prompts-per-step = 4 } } ]
                """);
        Path run = dir.resolve("run");
        Distribution.Result r = Distribution.run(dir, 300, "run", conf.toString(), "--run-dir", run.toString());
        assertEquals(0, r.exitCode(), r.output());
        List<JsonNode> steps = Distribution.metrics(run, "loss_scale");
        assertEquals(6, steps.size(), "every step logs loss_scale: " + steps);
        for (JsonNode s : steps) {
            assertTrue(s.get("loss_scale").asDouble() > 0 && s.has("skipped_steps"), s.toString());
        }
        for (JsonNode s : steps.subList(0, 3)) { // SFT updates every step (a GRPO step whose groups all agree does not)
            assertTrue(Double.isFinite(s.get("loss").asDouble()), s.toString());
        }
        JsonNode last = steps.get(5);
        String state = Files.readString(run.resolve("checkpoints/step-6/policy/state.json"));
        assertTrue(state.contains("\"loss_scale\" : " + last.get("loss_scale").asDouble()), state + " vs " + last);
    }
}
