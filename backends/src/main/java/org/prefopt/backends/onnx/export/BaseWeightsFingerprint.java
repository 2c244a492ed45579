package org.prefopt.backends.onnx.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.backends.safetensors.TensorData;

/**
 * The SHA-256 of a model's base weights (names, types, shapes and bytes, in name order), stored in the metadata of
 * an export with LoRA adapter inputs: such a graph carries the base as initializers and takes only the adapters, so
 * an engine fed a run's adapters must know the base is the run's, or it would sample from another model without a
 * sign of it.
 */
public final class BaseWeightsFingerprint {

    /** The key in {@code model.onnx}'s metadata ({@code metadata_props}). */
    public static final String METADATA_KEY = "prefopt.base_weights_sha256";

    private BaseWeightsFingerprint() {
    }

    public static String of(Map<String, TensorData> weights) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        for (var e : new TreeMap<>(weights).entrySet()) {
            TensorData t = e.getValue();
            StringBuilder header = new StringBuilder(e.getKey()).append('\0').append(t.dtype()).append('\0');
            for (long d : t.shape()) {
                header.append(d).append(',');
            }
            sha.update(header.append('\0').toString().getBytes(StandardCharsets.UTF_8));
            ByteBuffer data = t.data().duplicate();
            sha.update(data);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
