package org.prefopt.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's peak resident memory (Linux {@code VmHWM}), which covers what LibTorch allocates outside the Java
 * heap. The peak is reset before a measured phase by writing 5 to {@code /proc/self/clear_refs}; where either file
 * is missing (not Linux) the reading is empty and the benchmark says so.
 */
public final class PeakResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakResidentMemory() {
    }

    /** Starts a new peak from the current resident size; false where the kernel does not allow it. */
    public static boolean reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Bytes, or empty where {@code /proc/self/status} has no {@code VmHWM} line. */
    public static OptionalLong read() {
        try {
            return parse(Files.readString(STATUS));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parse(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) {
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        }
        return OptionalLong.empty();
    }
}
