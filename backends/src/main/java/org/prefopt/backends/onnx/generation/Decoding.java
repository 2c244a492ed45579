package org.prefopt.backends.onnx.generation;

import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.GenerationRequest;

/**
 * What depends on how the graph keeps its cache: laying out the prompts, feeding one token per row and moving cache
 * rows. Rows are the batch's sequences in order; logits come back as {@code (rows, vocab)}, float32.
 */
interface Decoding extends AutoCloseable {

    /** Prefills one row per request; returns the logits after each prompt's last token. */
    float[] prefill(List<GenerationRequest> requests);

    /** Makes row {@code q} of the batch a copy of prompt row {@code promptRow[q]}. */
    void expand(int[] promptRow);

    /** Keeps rows {@code keep}, in that order (the others have finished). */
    void keep(int[] keep);

    /** Feeds token {@code next[r]} to each row; returns the logits after it. */
    float[] step(long[] next);

    @Override
    void close();

    static int[] pick(int[] a, int[] keep) {
        return Arrays.stream(keep).map(k -> a[k]).toArray();
    }
}
