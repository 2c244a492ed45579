package org.prefopt.backends.djl;

/**
 * The {@code backend.tf32} option: TF32 matrix products for float32 on CUDA (Ampere and later), off by default as
 * in PyTorch. libtorch offers no switch through DJL; it reads {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} once, when
 * it first multiplies on the GPU, and the JVM cannot set its own environment. So the start script exports the
 * variable when {@code PREFOPT_TF32=1}, and the backend checks that the option and the environment agree: a run that
 * says {@code tf32 = false} must not get TF32 from a stray variable, nor one that asks for it silently run without.
 */
final class Tf32 {

    static final String VARIABLE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

    private Tf32() {
    }

    /**
     * Why the option and the environment disagree, or null when they agree.
     *
     * @param value the variable's value in this process, or null when unset
     */
    static String mismatch(boolean tf32, String value) {
        boolean set = value != null && (value.equals("1") || value.equalsIgnoreCase("true")
                || value.equalsIgnoreCase("on") || value.equalsIgnoreCase("yes"));
        if (tf32 && !set) {
            return "backend.tf32 = true needs libtorch started with " + VARIABLE + "=1 (it reads the variable once"
                    + " at start); start prefopt with PREFOPT_TF32=1 in the environment (the start script exports it)"
                    + " or set " + VARIABLE + "=1 yourself";
        }
        if (!tf32 && set) {
            return VARIABLE + "=" + value + " is set in the environment, which makes libtorch use TF32 matrix"
                    + " products although backend.tf32 = false; unset it (and PREFOPT_TF32), or set backend.tf32 = true";
        }
        return null;
    }
}
