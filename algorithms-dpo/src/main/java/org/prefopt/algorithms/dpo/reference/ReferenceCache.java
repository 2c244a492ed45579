package org.prefopt.algorithms.dpo.reference;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.prefopt.algorithms.dpo.pairs.PreferencePair;
import org.prefopt.api.model.TokenSequence;

/**
 * Reference log-prob sums of pairs, computed once and reused (offline pairs come back every epoch). Keyed by a
 * SHA-256 of the pair's token ids, so a key costs 32 bytes whatever the length; least recently used entries go
 * first once {@code capacity} is reached. Part of the algorithm's saved state, so a resumed run hits the same
 * entries and computes the same numbers.
 */
public final class ReferenceCache {

    private static final int FORMAT = 1;

    /** Sums of the reference log-probs of a pair's completions. */
    public record Entry(double chosen, double rejected) {
    }

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;
    private long hits;
    private long lookups;

    public ReferenceCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > ReferenceCache.this.capacity;
            }
        };
    }

    public Optional<Entry> get(PreferencePair pair) {
        lookups++;
        Entry e = capacity == 0 ? null : entries.get(key(pair));
        if (e != null) {
            hits++;
        }
        return Optional.ofNullable(e);
    }

    public void put(PreferencePair pair, Entry entry) {
        if (capacity > 0) {
            entries.put(key(pair), entry);
        }
    }

    /** The reference sum of a single completion (KTO); stored as an entry whose second value is NaN. */
    public java.util.OptionalDouble get(TokenSequence single) {
        lookups++;
        Entry e = capacity == 0 ? null : entries.get(key(single));
        if (e == null) {
            return java.util.OptionalDouble.empty();
        }
        hits++;
        return java.util.OptionalDouble.of(e.chosen());
    }

    public void put(TokenSequence single, double referenceSum) {
        if (capacity > 0) {
            entries.put(key(single), new Entry(referenceSum, Double.NaN));
        }
    }

    public int size() {
        return entries.size();
    }

    /** Hits and lookups since the last call, then resets the counters. */
    public double takeHitRate() {
        double rate = lookups == 0 ? 0.0 : (double) hits / lookups;
        hits = 0;
        lookups = 0;
        return rate;
    }

    static String key(PreferencePair pair) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, pair.chosen());
            update(sha, pair.rejected());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static String key(TokenSequence single) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // a domain tag keeps a single completion's key apart from any pair's
            sha.update("single".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            update(sha, single);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void update(MessageDigest sha, TokenSequence s) {
        // lengths first, so that moving a token between prompt and completion changes the key
        ByteBuffer b = ByteBuffer.allocate(4 * (2 + s.promptTokens().length + s.completionTokens().length));
        b.putInt(s.promptTokens().length).putInt(s.completionTokens().length);
        for (int t : s.promptTokens()) {
            b.putInt(t);
        }
        for (int t : s.completionTokens()) {
            b.putInt(t);
        }
        sha.update(b.array());
    }

    /** Entries from least to most recently used. */
    public byte[] save() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(entries.size());
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                out.write(HexFormat.of().parseHex(e.getKey()));
                out.writeDouble(e.getValue().chosen());
                out.writeDouble(e.getValue().rejected());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public void restore(byte[] state) {
        entries.clear();
        if (state.length == 0) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("DPO reference cache state has format " + format + ", expected "
                        + FORMAT + "; the checkpoint was written by another prefopt version");
            }
            int n = in.readInt();
            byte[] key = new byte[32];
            for (int i = 0; i < n; i++) {
                in.readFully(key);
                entries.put(HexFormat.of().formatHex(key), new Entry(in.readDouble(), in.readDouble()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("DPO reference cache state is truncated or corrupt", e);
        }
    }
}
