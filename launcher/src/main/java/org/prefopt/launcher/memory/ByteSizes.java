package org.prefopt.launcher.memory;

import java.util.Locale;

/** Sizes as the memory plan prints them: binary units (GiB = 2^30 bytes), as PyTorch and nvidia-smi report. */
public final class ByteSizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private ByteSizes() {
    }

    public static String format(long bytes) {
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.2f %s", v, UNITS[u]);
    }
}
