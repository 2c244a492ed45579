package org.prefopt.backends.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.BackendInfo;

/**
 * What the DJL policies compute with: a device, a dtype and the root {@link NDManager} they allocate under. A
 * policy obtains it from the run's {@link Backend} through {@code backend.unwrap(DjlCompute.class)};
 * {@link DjlBackend} is one, and another backend built on DJL can offer one too.
 */
public interface DjlCompute {

    Device device();

    /**
     * The dtype of the base weights and activations: float32, or float16 (mixed precision: trained arrays, norms,
     * softmax and loss stay float32, see docs/models.md).
     */
    DataType dtype();

    /** The root manager; a policy allocates under a sub-manager of it. */
    NDManager manager();

    /** Engine, device and dtype as the run reports them. */
    BackendInfo info();
}
