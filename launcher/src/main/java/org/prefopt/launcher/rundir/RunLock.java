package org.prefopt.launcher.rundir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per run (or sweep) directory: an exclusive lock on {@link RunDirectory#LOCK_FILE}, held for as long as
 * the process works in the directory. The operating system releases the lock when the holder dies, even by
 * {@code kill -9}, so a stale lock cannot block a resume; the file keeps the holder's pid, host and start time so
 * that the process refused can name it, and so that taking over after a dead holder is logged.
 */
public final class RunLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    /** Another live process holds the directory. */
    public static final class HeldException extends RuntimeException {
        HeldException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory} (created if missing), or fails at once naming the holder.
     *
     * @param what for messages, e.g. "run directory" or "sweep directory"
     */
    public static RunLock acquire(Path directory, String what) {
        Path file = directory.resolve(RunDirectory.LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            String previous = read(channel);
            if (lock == null) {
                channel.close();
                throw new HeldException(what + " " + directory + " is in use by another prefopt process ("
                        + (previous.isBlank() ? "holder unknown" : previous) + "); wait for it to finish or stop it,"
                        + " or choose another directory");
            }
            if (!previous.isBlank()) {
                LOG.warn("{} {} was left locked by a process that is gone ({}); taking it over", what, directory,
                        previous);
            }
            write(channel, holder());
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** This process as the lock file names it. */
    static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now();
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(4096, channel.size()));
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    }

    private static void write(FileChannel channel, String text) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    /** Releases the lock; the empty file left behind tells the next holder that nobody died holding it. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            LOG.warn("cannot release {}: {}", file, e.getMessage());
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
