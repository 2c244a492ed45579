package org.prefopt.api.bench;

import java.util.OptionalDouble;

/**
 * An optional capability of a {@link org.prefopt.api.model.PolicyModel}: how many engine operations its last
 * {@code generate} call issued per decoding step (one new token for every row of the batch). On an engine driven
 * op by op from Java (one native call per op), this count, not the FLOPs, bounds small-model generation speed, so
 * {@code prefopt bench} reports it. Kept out of {@code PolicyModel} itself because no run needs it.
 */
public interface GenerationOps {

    /** Engine arrays created per decoding step of the last {@code generate} call; empty before any or if unmeasured. */
    OptionalDouble lastOpsPerDecodingStep();
}
