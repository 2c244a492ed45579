package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of every layer for the tokens seen so far, shape (batch, kv-heads, length, head-dim), RoPE
 * already applied. Arrays live in {@code manager}; a replaced array is closed at once so the cache never holds
 * more than one copy per layer.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(NDManager manager, int layers) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Appends along the sequence axis and returns the full keys and values of the layer. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray nk = keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 2);
        NDArray nv = values[layer] == null ? v.duplicate() : values[layer].concat(v, 2);
        replace(layer, nk, nv);
        return new NDArray[] {nk, nv};
    }

    private void replace(int layer, NDArray nk, NDArray nv) {
        nk.attach(manager);
        nv.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = nk;
        values[layer] = nv;
    }

    /** Keeps and reorders batch rows: row i of the result is row {@code rows[i]} (rows may repeat). */
    public void select(NDArray rows) {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                replace(l, keys[l].get(new NDIndex("{}", rows)), values[l].get(new NDIndex("{}", rows)));
            }
        }
    }

    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
                keys[l] = null;
                values[l] = null;
            }
        }
    }
}
