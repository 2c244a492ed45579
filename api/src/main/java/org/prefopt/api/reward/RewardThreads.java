package org.prefopt.api.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pool rewards are scored on: a fixed number of daemon threads (a CAS check stuck in a library must not
 * keep the JVM alive), results returned in task order so they never depend on scheduling. The training loop, the
 * evaluator, {@code prefopt score} and the reward benchmark all score through one of these.
 */
public final class RewardThreads implements AutoCloseable {

    private final ExecutorService pool;

    public RewardThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("reward threads must be at least 1 (got " + threads + ")");
        }
        AtomicInteger counter = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "prefopt-reward-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs every task and returns their results in task order. A task that throws a {@link RuntimeException}
     * rethrows it here (after the earlier tasks' results were collected); tasks are expected not to throw checked
     * exceptions.
     */
    public <T> List<T> invokeAll(List<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(task));
        }
        List<T> out = new ArrayList<>(tasks.size());
        for (Future<T> f : futures) {
            out.add(await(f));
        }
        return out;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring rewards", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
