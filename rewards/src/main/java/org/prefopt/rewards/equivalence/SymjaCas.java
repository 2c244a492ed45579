package org.prefopt.rewards.equivalence;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.convert.VariablesSet;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.form.tex.TeXParser;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IASTAppendable;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Symbolic equality through Symja, run on a bounded pool of daemon threads, each with its own {@link EvalEngine}
 * (Symja keeps its engine in a thread-local; its symbol table and {@link Config} are JVM-global, so there is
 * one pool per JVM). Callers wait at most their timeout; on timeout the engine is asked to stop and the task is
 * interrupted. Nothing here throws: every outcome is a {@link Reason}.
 *
 * <p>Symja takes about a second to initialise; {@link #warmUp()} starts that in the background so that the first
 * comparisons of a run do not pay it inside their timeout.
 */
public final class SymjaCas {

    /** Largest leaf count of a parsed expression handed to Simplify. */
    static final int MAX_LEAVES = 200;
    private static final int QUEUE = 4096;
    private static final int SAMPLE_POINTS = 2;
    private static final long[] SAMPLE_PRIMES = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41};
    private static final PrintStream DEVNULL = new PrintStream(OutputStream.nullOutputStream());

    private static final SymjaCas INSTANCE = new SymjaCas(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private final ThreadPoolExecutor pool;
    private final ThreadLocal<EvalEngine> engines = new ThreadLocal<>();
    private final CompletableFuture<Void> init = new CompletableFuture<>();
    private final AtomicInteger initStarted = new AtomicInteger();

    private SymjaCas(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "prefopt-symja-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    public static SymjaCas get() {
        return INSTANCE;
    }

    /** Starts Symja's one-time initialisation in the background (idempotent). */
    public CompletableFuture<Void> warmUp() {
        if (initStarted.compareAndSet(0, 1)) {
            Thread t = new Thread(() -> {
                try {
                    initialiseSymja();
                    init.complete(null);
                } catch (Throwable e) {
                    init.completeExceptionally(e);
                }
            }, "prefopt-symja-init");
            t.setDaemon(true);
            t.start();
        }
        return init;
    }

    private static void initialiseSymja() {
        Config.FILESYSTEM_ENABLED = false;
        Config.MAX_AST_SIZE = 10_000;
        Config.MAX_BIT_LENGTH = 20_000;
        Config.MAX_POLYNOMIAL_DEGREE = 100;
        Config.MAX_MATRIX_DIMENSION_SIZE = 50;
        Config.MAX_LOOP_COUNT = 100_000;
        Config.MAX_INPUT_LEAVES = 1_000L;
        F.initSymbols();
        // The first TeX conversion and Simplify load further classes; do them now, not inside a caller's timeout.
        IExpr a = TeXParser.convert("2\\sqrt{2}+\\frac{1}{2}x");
        engine().evaluate(F.Simplify(F.Subtract(a, a)));
    }

    private static EvalEngine engine() {
        EvalEngine e = new EvalEngine("prefopt", 256, 1000, DEVNULL, DEVNULL, false);
        e.setQuietMode(true);
        e.setIterationLimit(10_000);
        e.setRecursionLimit(256);
        EvalEngine.set(e);
        return e;
    }

    /**
     * Whether two CAS-ready LaTeX expressions (output of {@link CasGuard#prepare}) are equal.
     *
     * @param numericFallback whether {@code PossibleZeroQ} may decide when Simplify does not reach 0 (never for
     *                        inputs that contained decimals: a decimal close to an irrational is not that number)
     */
    public Reason equal(String texA, String texB, boolean numericFallback, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        try {
            warmUp().get(Math.max(1, timeoutMillis) + 30_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return Reason.CAS_ERROR;
        }
        AtomicReference<EvalEngine> running = new AtomicReference<>();
        Future<Reason> f;
        try {
            f = pool.submit(() -> compare(texA, texB, numericFallback, running));
        } catch (RejectedExecutionException e) {
            return Reason.CAS_BUSY;
        }
        try {
            long left = Math.max(1, deadline - System.nanoTime());
            return f.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            EvalEngine engine = running.get();
            if (engine != null) {
                engine.stopRequest();
            }
            f.cancel(true);
            return Reason.CAS_TIMEOUT;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return Reason.CAS_TIMEOUT;
        } catch (ExecutionException e) {
            return Reason.CAS_ERROR;
        }
    }

    private Reason compare(String texA, String texB, boolean numericFallback, AtomicReference<EvalEngine> running) {
        EvalEngine engine = engines.get();
        if (engine == null) {
            engine = engine();
            engines.set(engine);
        }
        EvalEngine.set(engine);
        engine.setStopRequested(false);
        running.set(engine);
        try {
            IExpr a = parse(texA);
            IExpr b = parse(texB);
            if (a == null || b == null) {
                return Reason.CAS_PARSE_FAILURE;
            }
            if (a.leafCount() > MAX_LEAVES || b.leafCount() > MAX_LEAVES) {
                return Reason.CAS_REJECTED;
            }
            IExpr diff = F.Subtract(a, b);
            if (differsAtSamplePoints(engine, diff)) {
                return Reason.DIFFERENT_SYMBOLICALLY;
            }
            IExpr simplified = engine.evaluate(F.Simplify(diff));
            if (isAborted(simplified)) {
                return Reason.CAS_TIMEOUT;
            }
            if (simplified.isZero()) {
                return Reason.EQUAL_SYMBOLICALLY;
            }
            if (numericFallback && !Thread.currentThread().isInterrupted()) {
                IExpr zero = engine.evaluate(F.PossibleZeroQ(diff));
                if (zero.isTrue()) {
                    return Reason.EQUAL_SYMBOLICALLY;
                }
            }
            return Reason.DIFFERENT_SYMBOLICALLY;
        } catch (StackOverflowError | OutOfMemoryError e) {
            return Reason.CAS_REJECTED;
        } catch (RuntimeException e) {
            return engine.isStopRequested() || Thread.currentThread().isInterrupted()
                    ? Reason.CAS_TIMEOUT : Reason.CAS_ERROR;
        } finally {
            running.set(null);
            engine.setStopRequested(false);
            Thread.interrupted();
        }
    }

    /**
     * Whether the difference is a non-zero rational number at one of a few fixed rational points (every variable
     * replaced by its own fraction of primes). Such a difference is not identically zero, so the answers differ;
     * this is exact (no floating point) and cheap, and spares Simplify the wrong answers, which are most answers
     * in a GRPO group and the slowest to simplify (a long rational expression against a number). Anything else
     * (zero, a pole, an irrational or symbolic value) decides nothing and Simplify runs as before.
     */
    private static boolean differsAtSamplePoints(EvalEngine engine, IExpr diff) {
        // The free symbols (Symja's Variables[] would also return Sin[x]-like subexpressions as "variables").
        IAST variables = new VariablesSet(diff).getVarList();
        if (variables.argSize() > SAMPLE_PRIMES.length) {
            return false;
        }
        for (int point = 0; point < SAMPLE_POINTS; point++) {
            IASTAppendable rules = F.ListAlloc(variables.argSize());
            int k = point;
            for (IExpr v : variables) {
                rules.append(F.Rule(v, F.QQ(SAMPLE_PRIMES[k % SAMPLE_PRIMES.length],
                        SAMPLE_PRIMES[(k + 3) % SAMPLE_PRIMES.length])));
                k++;
            }
            IExpr value;
            try {
                value = engine.evaluate(F.ReplaceAll(diff, rules));
            } catch (RuntimeException e) {
                if (engine.isStopRequested() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                continue; // e.g. a division by zero at this point: it decides nothing
            }
            if (value.isRational() && !value.isZero()) {
                return true;
            }
        }
        return false;
    }

    private static IExpr parse(String tex) {
        try {
            IExpr e = TeXParser.convert(tex);
            if (e == null || isAborted(e) || !e.isFree(x -> x == F.$Aborted, true)) {
                return null;
            }
            return e;
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static boolean isAborted(IExpr e) {
        return e == F.$Aborted;
    }
}
