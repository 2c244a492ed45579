package org.prefopt.api.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that a crash (even {@code kill -9}) leaves either complete or absent, never half done: every file and
 * directory that a run, an export or a plugin writes for later reading goes through here, so the rule (fill a
 * sibling temp, force it, rename over the target) has one owner.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Fills a temp file (a sibling of the final one) through a path. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path tmp) throws IOException;
    }

    /** Fills a temp directory (a sibling of the final one) through a path. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path tmp) throws IOException;
    }

    /** Writes {@code bytes} to a sibling temp file, forces it to disk, then renames it over {@code target}. */
    public static void write(Path target, byte[] bytes) {
        writeFile(target, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
        });
    }

    /**
     * Lets {@code writer} fill a sibling temp file, then renames it over {@code target}; on any failure the temp
     * file is removed and {@code target} is left as it was.
     */
    public static void writeFile(Path target, FileWriter writer) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                writer.write(tmp);
                move(tmp, target);
            } catch (IOException | RuntimeException | Error e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lets {@code writer} fill a fresh sibling temp directory, then swaps it into place, so readers never see a
     * partial one. An existing {@code directory} is replaced; on failure it is left as it was and the temp
     * directory is removed.
     */
    public static void writeDirectory(Path directory, DirectoryWriter writer) {
        Path abs = directory.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
            try {
                writer.write(tmp);
                if (Files.exists(abs)) {
                    Path old = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".old");
                    Files.delete(old);
                    move(abs, old);
                    move(tmp, abs);
                    deleteTree(old);
                } else {
                    move(tmp, abs);
                }
            } catch (IOException | RuntimeException | Error e) {
                deleteTree(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Atomic rename; {@code target} is replaced when it is a file. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically; put the output "
                    + "on a local file system", e);
        }
    }

    /** Deletes a directory tree; missing is fine. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
