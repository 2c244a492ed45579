package org.prefopt.rewards.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;

/**
 * Scores many completions with one reward on a fixed pool of daemon threads. Results come back in input order.
 * A reward that throws despite its contract yields a 0 with a note instead of failing the batch.
 */
public final class ParallelScorer implements AutoCloseable {

    /** One completion of one example. */
    public record Item(Example example, String completion) {
    }

    private final ExecutorService pool;

    public ParallelScorer(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 (got " + threads + ")");
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "prefopt-reward-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public List<RewardResult> score(RewardFunction reward, List<Item> items) throws InterruptedException {
        List<Future<RewardResult>> futures = new ArrayList<>(items.size());
        for (Item item : items) {
            futures.add(pool.submit(() -> reward.score(item.example(), item.completion())));
        }
        List<RewardResult> out = new ArrayList<>(items.size());
        for (Future<RewardResult> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                out.add(RewardResult.of(0.0, null, "reward " + reward.name() + " threw " + e.getCause()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
