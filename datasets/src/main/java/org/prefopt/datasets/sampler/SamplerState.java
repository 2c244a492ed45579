package org.prefopt.datasets.sampler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.random.SplitMix64;

/**
 * The common header of saved sampler state: a magic number, the sampler's name, a format version, and a
 * fingerprint of the prompt pool, so that state is never restored into a different sampler or pool.
 */
final class SamplerState {

    private static final int MAGIC = 0x50465350; // "PFSP"
    private static final int VERSION = 1;

    private SamplerState() {
    }

    /** Order-sensitive fingerprint of the pool's ids. */
    static long fingerprint(List<Example> pool) {
        long h = pool.size();
        for (Example e : pool) {
            for (byte b : e.id().getBytes(StandardCharsets.UTF_8)) {
                h = SplitMix64.mix(h ^ b) + 0x9E3779B97F4A7C15L;
            }
            h = SplitMix64.mix(h ^ 0xFF);
        }
        return h;
    }

    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    static byte[] write(String sampler, long fingerprint, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(sampler);
            out.writeInt(VERSION);
            out.writeLong(fingerprint);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return bytes.toByteArray();
    }

    static void read(byte[] state, String sampler, long fingerprint, int poolSize, Reader body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not prefopt sampler state");
            }
            String name = in.readUTF();
            if (!name.equals(sampler)) {
                throw new IllegalArgumentException("sampler state was saved by the '" + name
                        + "' sampler and cannot be restored into '" + sampler + "'");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported " + sampler + " sampler state version " + version);
            }
            if (in.readLong() != fingerprint) {
                throw new IllegalArgumentException("sampler state was saved for a different prompt pool than the "
                        + poolSize + " examples this run has; resume with the same dataset, filters and split");
            }
            body.read(in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after " + sampler + " sampler state");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt " + sampler + " sampler state: " + e, e);
        }
    }
}
