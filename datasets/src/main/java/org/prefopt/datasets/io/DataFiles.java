package org.prefopt.datasets.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** File checks shared by the record formats. */
public final class DataFiles {

    /** The first and last four bytes of every Parquet file. */
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
    public static final int PARQUET_MAGIC_LENGTH = PARQUET_MAGIC.length;

    private DataFiles() {
    }

    /** Why the file cannot be opened (missing, a directory, unreadable), or null. */
    public static String problemWith(Path path, String expected) {
        if (!Files.exists(path)) {
            return "file not found: " + path.toAbsolutePath() + " (check the dataset's path option)";
        }
        if (Files.isDirectory(path)) {
            return "is a directory, not " + expected + ": " + path.toAbsolutePath();
        }
        if (!Files.isReadable(path)) {
            return "file is not readable: " + path.toAbsolutePath();
        }
        return null;
    }

    /** Whether these bytes are the Parquet magic {@code PAR1}. */
    public static boolean isParquetMagic(byte[] bytes) {
        return Arrays.equals(bytes, PARQUET_MAGIC);
    }

    /** Whether the file starts with the Parquet magic (false when it cannot be read). */
    public static boolean startsLikeParquet(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return isParquetMagic(in.readNBytes(PARQUET_MAGIC_LENGTH));
        } catch (IOException e) {
            return false;
        }
    }
}
