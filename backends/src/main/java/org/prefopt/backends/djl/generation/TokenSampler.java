package org.prefopt.backends.djl.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import org.prefopt.api.model.SamplingParams;

/**
 * Picks the next token of every row on the device: greedy argmax, or temperature / top-k / top-p filtering
 * (as Hugging Face's logits warpers) followed by Gumbel-max sampling, which draws exactly from the filtered
 * softmax. Also returns each chosen token's log-prob under the unmodified distribution (temperature 1).
 */
public final class TokenSampler {

    private final SamplingParams params;

    public TokenSampler(SamplingParams params) {
        this.params = params;
    }

    /** @param logits float32 (rows, vocab) @return {chosen ids (int64, rows), their log-probs (float32, rows)} */
    public NDList sample(NDArray logits) {
        NDArray logp = logits.logSoftmax(-1);
        NDArray next;
        if (params.greedy()) {
            next = logits.argMax(-1);
        } else {
            NDArray z = params.temperature() == 1.0 ? logits : logits.div(params.temperature());
            long vocab = logits.getShape().get(1);
            if (params.topK() > 0 && params.topK() < vocab) {
                NDArray kth = z.topK(params.topK(), -1, true, true).get(0).get(":, -1:");
                z = NDArrays.where(z.lt(kth), filled(z, Float.NEGATIVE_INFINITY), z);
            }
            if (params.topP() < 1.0) {
                NDArray sorted = z.sort(-1);
                NDArray cumulative = sorted.softmax(-1).cumSum(-1);
                // remove the low tail holding at most 1 - topP of the mass; the top token always stays
                NDArray remove = cumulative.lte((float) (1.0 - params.topP()));
                NDArray last = remove.get(":, -1:").zerosLike();
                remove = remove.get(":, :-1").concat(last, -1);
                NDArray threshold = NDArrays.where(remove, filled(sorted, Float.POSITIVE_INFINITY), sorted)
                        .min(new int[] {-1}, true);
                z = NDArrays.where(z.lt(threshold), filled(z, Float.NEGATIVE_INFINITY), z);
            }
            NDArray u = z.getManager().randomUniform(1e-10f, 1f, z.getShape(), DataType.FLOAT32, z.getDevice());
            // z + Gumbel noise, written z - log(-log u): the same values (negation is exact), one op fewer
            next = z.sub(u.log().neg().log()).argMax(-1);
        }
        NDArray chosen = logp.gather(next.expandDims(1), 1).squeeze(1);
        return new NDList(next, chosen);
    }

    private static NDArray filled(NDArray like, float value) {
        return like.zerosLike().addi(value);
    }
}
