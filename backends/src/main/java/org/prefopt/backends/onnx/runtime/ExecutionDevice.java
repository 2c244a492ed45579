package org.prefopt.backends.onnx.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where ONNX Runtime runs the graph ({@code engine.device}): {@code cpu} (the CPU execution provider of the default
 * build) or {@code cuda:N} (the CUDA execution provider on GPU N, which only ONNX Runtime's GPU artifact has: build
 * with {@code -Pcuda}). Untested on a GPU: the project's machines have none.
 *
 * @param cudaIndex the GPU, or -1 for the CPU
 */
public record ExecutionDevice(int cudaIndex) {

    public static final ExecutionDevice CPU = new ExecutionDevice(-1);
    /** The Maven profile that swaps ONNX Runtime's CPU artifact for its GPU one. */
    public static final String CUDA_PROFILE = "-Pcuda";

    private static final Pattern CUDA = Pattern.compile("cuda:(\\d{1,4})");

    /** {@code cpu} or {@code cuda:N}; anything else is refused with the accepted forms. */
    public static ExecutionDevice parse(String text) {
        String t = text.strip();
        if (t.equals("cpu")) {
            return CPU;
        }
        Matcher m = CUDA.matcher(t);
        if (m.matches()) {
            return new ExecutionDevice(Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("'" + text + "' is not a device: use cpu or cuda:N (N the GPU's index)");
    }

    public boolean isCuda() {
        return cudaIndex >= 0;
    }

    /**
     * Adds the execution provider to {@code options}; for CUDA, fails with what to do when this ONNX Runtime has no
     * CUDA provider (the default, CPU-only build).
     */
    void apply(OrtSession.SessionOptions options) throws OrtException {
        if (!isCuda()) {
            return;
        }
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new IllegalArgumentException("device " + this + " needs ONNX Runtime's CUDA execution provider,"
                    + " which this build does not have (providers: " + OrtEnvironment.getAvailableProviders()
                    + "): build prefopt with the Maven profile " + CUDA_PROFILE + " (mvn " + CUDA_PROFILE
                    + " package), which uses com.microsoft.onnxruntime:onnxruntime_gpu, on a machine with CUDA 12"
                    + " and cuDNN 9, or use device = cpu");
        }
        options.addCUDA(cudaIndex);
    }

    @Override
    public String toString() {
        return isCuda() ? "cuda:" + cudaIndex : "cpu";
    }
}
