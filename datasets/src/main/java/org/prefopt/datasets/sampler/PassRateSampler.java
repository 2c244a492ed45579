package org.prefopt.datasets.sampler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptOutcome;
import org.prefopt.api.data.PromptSampler;

/**
 * DAPO-style dynamic sampling. Prompts come in the {@link UniformSampler}'s epoch order, but a prompt whose recent
 * pass rate is at or above {@code skip-above} (always solved) or at or below {@code skip-below} (never solved) is
 * passed over: its group would have identical rewards and so zero GRPO advantage. The pass rate of one outcome is
 * the share of its completions with reward {@code >= success-threshold}; "recent" is the mean over the last
 * {@code window} outcomes observed for the prompt. Prompts never observed are always drawn.
 *
 * <p>Two caps keep it from starving. A prompt passed over {@code max-consecutive-skips} times in a row is drawn
 * anyway, so its pass rate is measured again as the policy changes. And when one call has looked at a whole
 * pool's worth of candidates without filling the batch, it fills the rest with the prompts it passed over (then
 * with further prompts in order), so {@code next} always returns {@code count} prompts.
 */
public final class PassRateSampler implements PromptSampler {

    public static final String NAME = "pass-rate";

    private final double successThreshold;
    private final double skipAbove;
    private final double skipBelow;
    private final int window;
    private final int maxConsecutiveSkips;

    private List<Example> pool;
    private long fingerprint;
    private EpochOrder order;
    private final Map<String, Deque<Double>> history = new TreeMap<>();
    private final Map<String, Integer> skips = new TreeMap<>();
    private long skippedLastCall;
    private long skippedTotal;

    public PassRateSampler(double successThreshold, double skipAbove, double skipBelow, int window,
                           int maxConsecutiveSkips) {
        if (!(skipBelow < skipAbove)) {
            throw new IllegalArgumentException("skip-below must be less than skip-above (got " + skipBelow + " and "
                    + skipAbove + ")");
        }
        if (window < 1 || maxConsecutiveSkips < 0) {
            throw new IllegalArgumentException("window must be >= 1 and max-consecutive-skips >= 0");
        }
        this.successThreshold = successThreshold;
        this.skipAbove = skipAbove;
        this.skipBelow = skipBelow;
        this.window = window;
        this.maxConsecutiveSkips = maxConsecutiveSkips;
    }

    @Override
    public void initialize(List<Example> pool, long seed) {
        this.pool = List.copyOf(pool);
        this.fingerprint = SamplerState.fingerprint(this.pool);
        this.order = new EpochOrder(this.pool.size(), seed);
        history.clear();
        skips.clear();
        skippedLastCall = 0;
        skippedTotal = 0;
    }

    @Override
    public List<Example> next(int count) {
        requireInitialized();
        List<Example> out = new ArrayList<>(count);
        Deque<Example> passedOver = new ArrayDeque<>();
        long examined = 0;
        while (out.size() < count) {
            if (examined >= pool.size()) {
                // A whole pool's worth looked at: stop being picky so the step can run.
                Example e = passedOver.isEmpty() ? pool.get(order.next()) : passedOver.pollFirst();
                out.add(e);
                skips.remove(e.id());
                continue;
            }
            Example e = pool.get(order.next());
            examined++;
            if (!skippable(e)) {
                out.add(e);
                skips.remove(e.id());
                continue;
            }
            int n = skips.merge(e.id(), 1, Integer::sum);
            if (n > maxConsecutiveSkips) {
                out.add(e);
                skips.remove(e.id());
            } else {
                passedOver.add(e);
            }
        }
        // Prompts taken back from the passed-over list were drawn after all.
        skippedLastCall = passedOver.size();
        skippedTotal += skippedLastCall;
        return out;
    }

    /** Whether the recent pass rate says the prompt's group would carry no learning signal. */
    public boolean skippable(Example e) {
        Deque<Double> h = history.get(e.id());
        if (h == null || h.isEmpty()) {
            return false;
        }
        double mean = h.stream().mapToDouble(Double::doubleValue).average().orElse(0.5);
        return mean >= skipAbove || mean <= skipBelow;
    }

    @Override
    public void observe(List<PromptOutcome> outcomes) {
        requireInitialized();
        for (PromptOutcome o : outcomes) {
            double[] r = o.rewards();
            if (r == null || r.length == 0) {
                continue;
            }
            int solved = 0;
            for (double v : r) {
                if (v >= successThreshold) {
                    solved++;
                }
            }
            Deque<Double> h = history.computeIfAbsent(o.example().id(), k -> new ArrayDeque<>());
            h.addLast((double) solved / r.length);
            while (h.size() > window) {
                h.removeFirst();
            }
        }
    }

    /** Prompts passed over (not drawn) by the last {@link #next} call: the DAPO "filtered groups" metric. */
    public long skippedLastCall() {
        return skippedLastCall;
    }

    public long skippedTotal() {
        return skippedTotal;
    }

    @Override
    public byte[] saveState() {
        requireInitialized();
        return SamplerState.write(NAME, fingerprint, out -> {
            order.writeTo(out);
            out.writeInt(history.size());
            for (Map.Entry<String, Deque<Double>> e : history.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (double v : e.getValue()) {
                    out.writeDouble(v);
                }
            }
            out.writeInt(skips.size());
            for (Map.Entry<String, Integer> e : skips.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue());
            }
            out.writeLong(skippedLastCall);
            out.writeLong(skippedTotal);
        });
    }

    @Override
    public void restoreState(byte[] state) {
        requireInitialized();
        SamplerState.read(state, NAME, fingerprint, pool.size(), in -> {
            EpochOrder savedOrder = EpochOrder.readFrom(in, pool.size());
            Map<String, Deque<Double>> h = new TreeMap<>();
            int nh = in.readInt();
            for (int i = 0; i < nh; i++) {
                String id = in.readUTF();
                int k = in.readInt();
                Deque<Double> d = new ArrayDeque<>(k);
                for (int j = 0; j < k; j++) {
                    d.add(in.readDouble());
                }
                h.put(id, d);
            }
            Map<String, Integer> s = new TreeMap<>();
            int ns = in.readInt();
            for (int i = 0; i < ns; i++) {
                s.put(in.readUTF(), in.readInt());
            }
            long last = in.readLong();
            long total = in.readLong();
            order = savedOrder;
            history.clear();
            history.putAll(h);
            skips.clear();
            skips.putAll(s);
            skippedLastCall = last;
            skippedTotal = total;
        });
    }

    private void requireInitialized() {
        if (pool == null) {
            throw new IllegalStateException("call initialize(pool, seed) before using the sampler");
        }
    }
}
