package org.prefopt.launcher.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.launcher.rundir.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's variants, one after another or {@code parallel} at a time, each as {@code prefopt run} in its own
 * run directory under the sweep directory. A variant that forks from another waits for it.
 *
 * <p>Resumable: running the same sweep again skips variants that finished, resumes those that have a checkpoint, and
 * starts the rest over. A variant whose configuration changed since it ran is refused rather than silently mixed.
 */
public final class SweepRunner {

    public static final String CONFIGS = "configs";
    public static final String LOGS = "logs";
    public static final String STATE = "state";

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SweepSpec spec;
    private final VariantExecutor executor;

    public SweepRunner(SweepSpec spec, VariantExecutor executor) {
        this.spec = spec;
        this.executor = executor;
    }

    /** The run directory of a variant. */
    public static Path runDirectory(SweepSpec spec, Variant v) {
        return spec.directory().resolve(v.name());
    }

    /** The variant a variant forks from (same grid cell), or null. */
    public static Variant forkSource(SweepSpec spec, Variant v) {
        if (v.forkFrom() == null) {
            return null;
        }
        return spec.variants().stream().filter(s -> s.group().equals(v.forkFrom()) && s.grid().equals(v.grid()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no variant '" + v.forkFrom()
                        + "' with grid values " + v.grid()));
    }

    /**
     * Runs what is not done yet, at most {@code parallel} at a time, always starting the first variant in file order
     * whose fork source (if any) has finished; a variant whose source failed is not run. Returns the final state of
     * every variant, in sweep order.
     */
    public Map<String, VariantState> run() throws InterruptedException {
        writeConfigs();
        Map<String, VariantState> states = new LinkedHashMap<>();
        List<Variant> pending = new ArrayList<>(spec.variants());
        ExecutorService pool = Executors.newFixedThreadPool(spec.parallel(), r -> {
            Thread t = new Thread(r, "sweep-variant");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Map.Entry<String, VariantState>> done = new ExecutorCompletionService<>(pool);
        int running = 0;
        try {
            while (!pending.isEmpty() || running > 0) {
                boolean started = false;
                for (var it = pending.iterator(); it.hasNext() && running < spec.parallel(); ) {
                    Variant v = it.next();
                    Variant source = forkSource(spec, v);
                    VariantState sourceState = source == null ? null : states.get(source.name());
                    if (source != null && sourceState == null) {
                        continue; // its source has not finished yet
                    }
                    it.remove();
                    if (sourceState != null && !sourceState.done()) {
                        LOG.warn("variant {} not run: the variant it forks from, {}, did not finish", v.name(),
                                source.name());
                        states.put(v.name(), readState(v));
                        started = true;
                        continue;
                    }
                    done.submit(() -> Map.entry(v.name(), runVariant(v, source)));
                    running++;
                    started = true;
                }
                if (running == 0 && !started && !pending.isEmpty()) {
                    throw new IllegalStateException("no variant of " + pending + " can start"); // a cycle: refused earlier
                }
                if (running > 0) {
                    Map.Entry<String, VariantState> result;
                    try {
                        result = done.take().get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    states.put(result.getKey(), result.getValue());
                    running--;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, VariantState> ordered = new LinkedHashMap<>();
        spec.variants().forEach(v -> ordered.put(v.name(), states.get(v.name())));
        return ordered;
    }

    private VariantState runVariant(Variant v, Variant source) throws InterruptedException {
        VariantState state = readState(v);
        if (state.done()) {
            LOG.info("variant {}: finished earlier, not run again", v.name());
            return state;
        }
        Path runDir = runDirectory(spec, v);
        boolean resumable = !new CheckpointStore(runDir, Integer.MAX_VALUE).completeCheckpoints().isEmpty();
        List<String> args = new ArrayList<>();
        args.add("run");
        if (resumable) {
            args.addAll(List.of("--resume", runDir.toString()));
            LOG.info("variant {}: resuming from its last checkpoint", v.name());
        } else {
            AtomicFiles.deleteTree(runDir); // an attempt killed before its first checkpoint: start over
            args.addAll(List.of(configFile(v).toString(), "--run-dir", runDir.toString()));
            if (source != null) {
                args.addAll(List.of("--fork-from", runDirectory(spec, source).toString()));
            }
            LOG.info("variant {}: starting{}", v.name(), source == null ? "" : " from the end of " + source.name());
        }
        VariantState running = new VariantState(VariantState.RUNNING, state.attempts() + 1, state.wallSeconds(), -1);
        writeState(v, running);
        long t0 = System.nanoTime();
        int exit = executor.run(v.name(), args, spec.directory().resolve(LOGS).resolve(v.name() + ".log"));
        double wall = running.wallSeconds() + (System.nanoTime() - t0) / 1e9;
        VariantState finished = new VariantState(exit == 0 ? VariantState.DONE : VariantState.FAILED,
                running.attempts(), wall, exit);
        writeState(v, finished);
        if (exit == 0) {
            LOG.info("variant {}: done in {} s", v.name(), String.format(java.util.Locale.ROOT, "%.0f", wall));
        } else {
            LOG.error("variant {}: failed with exit code {}; see {}", v.name(), exit,
                    spec.directory().resolve(LOGS).resolve(v.name() + ".log"));
        }
        return finished;
    }

    /**
     * Writes each variant's run file to {@code configs/}, refusing when a variant that already ran would now run with
     * a different configuration.
     */
    private void writeConfigs() {
        List<String> changed = new ArrayList<>();
        for (Variant v : spec.variants()) {
            String text = "# variant " + v.name() + " of sweep " + spec.name() + " (written by prefopt sweep)\n"
                    + v.config().root().render(ConfigRenderOptions.defaults().setOriginComments(false)
                    .setComments(false).setJson(false)) + "\n";
            Path file = configFile(v);
            boolean started = Files.exists(runDirectory(spec, v)) || Files.exists(stateFile(v));
            try {
                if (started && Files.exists(file) && !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                    changed.add(v.name());
                    continue;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        }
        if (!changed.isEmpty()) {
            throw new IllegalStateException("the configuration of variant(s) " + changed + " changed since they ran in "
                    + spec.directory() + "; a resumed sweep must not mix results of two configurations. Restore the"
                    + " sweep file, or delete those variants' directories and state files (" + spec.directory()
                    + "/<variant>, " + STATE + "/<variant>.json) to run them again, or give the sweep another name");
        }
    }

    Path configFile(Variant v) {
        return spec.directory().resolve(CONFIGS).resolve(v.name() + ".conf");
    }

    private Path stateFile(Variant v) {
        return spec.directory().resolve(STATE).resolve(v.name() + ".json");
    }

    /** The variant's saved state, or a fresh one. */
    public VariantState readState(Variant v) {
        Path f = stateFile(v);
        if (!Files.exists(f)) {
            return VariantState.fresh();
        }
        try {
            return JSON.readValue(f.toFile(), VariantState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + " (" + e.getMessage() + "); delete it to run variant "
                    + v.name() + " again", e);
        }
    }

    private void writeState(Variant v, VariantState s) {
        try {
            AtomicFiles.write(stateFile(v), JSON.writeValueAsBytes(s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile(v) + ": " + e.getMessage(), e);
        }
    }
}
