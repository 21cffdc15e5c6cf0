package dev.cadre.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Cadre's own exclusive lock on a directory it keeps state in ({@value #FILE} inside it), held while the head or node
 * runs. Two heads on one data directory would share its broker journal and database (the second one otherwise
 * waits silently on the journal's lock and takes over unnoticed once the first stops); two nodes on one state
 * directory would share a node id and their attempts' records. The holder's pid is written in the file so that the
 * refusal can name it.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE = "cadre.lock";
    private final FileChannel channel;
    private final FileLock lock;

    /** Another process (or another part of this one) holds the lock, or the directory takes no lock file. */
    static final class InUse extends IOException {
        InUse(String message) {
            super(message);
        }
    }

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock at once or refuses: never waits.
     *
     * @param what the directory's name in messages, such as "data directory"
     * @throws InUse naming the directory and, when the lock file says, the holder's pid
     */
    static DirectoryLock take(Path dir, String what) throws IOException {
        Path file = dir.resolve(FILE);
        // Not truncated on open: until this process holds the lock, the file holds the holder's pid.
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InUse("cannot lock " + what + " " + dir.toAbsolutePath() + " (" + e + "): Cadre keeps its"
                    + " state there and must be able to write it (not read-only, not another user's)");
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                throw new InUse(what + " " + dir.toAbsolutePath() + " is in use by another Cadre"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": stop it first, or give this one"
                        + " another directory (the lock is " + file.toAbsolutePath() + ")");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new DirectoryLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The pid the holder wrote, or "" when the file does not say (an older Cadre, or the holder just starting). */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return text.matches("[0-9]{1,10}") ? text : "";
    }

    @Override
    public void close() throws IOException {
        // Left in place: deleting it would let a third process lock a new file while a second holds the old one.
        lock.release();
        channel.close();
    }
}
