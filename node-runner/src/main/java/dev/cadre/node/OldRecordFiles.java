package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of the state directory where node-runners before {@value AttemptRecordStore#FILE} kept one file per
 * attempt ({@code <job>-<attempt>.json}, written by rename, pruned by modification time). An upgraded node moves
 * them into its store at start, so no outcome or output record is lost on the way.
 */
final class OldRecordFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OldRecordFiles.class);
    /** Far above any record: a larger file is none, and is not read into memory. */
    private static final long LARGEST = 1 << 20;
    /** At most a long and an int: names that would overflow are no records. */
    private static final Pattern NAME = Pattern.compile("(\\d{1,18})-(\\d{1,9})\\.json");

    /** Judges the text of an old file before it is imported; throws, with the reason, when it is no record. */
    @FunctionalInterface
    interface Contents {
        void check(String text) throws IOException;
    }

    /** An old file's record, written when the file was last modified. */
    record Found(long jobId, int attempt, long writtenMillis, String text) {
    }

    private OldRecordFiles() {
    }

    /**
     * Imports the directory's records, a batch per transaction, removing each batch's files once it is committed (a
     * crash in between imports them again), then the emptied directory. A file that is no record is named in a
     * warning and left; a directory that cannot be read is left for the next start. Neither stops the node.
     */
    static void importInto(AttemptRecordStore store, Path dir, Contents contents) throws SQLException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String what = store.kind().what();
        int imported = 0;
        int left = 0;
        List<Found> batch = new ArrayList<>();
        List<Path> batchFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Optional<Found> found = read(f, contents, store.file());
                if (found.isEmpty()) {
                    left++;
                    continue;
                }
                batch.add(found.get());
                batchFiles.add(f);
                if (batch.size() == AttemptRecordStore.BATCH) {
                    imported += commit(store, batch, batchFiles);
                }
            }
            imported += commit(store, batch, batchFiles);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not import all {} of {} ({}); the rest is imported at the next start", what, dir,
                    e.toString());
            return;
        }
        if (imported > 0) {
            LOG.info("imported {} {} from {} into {}", imported, what, dir, store.file());
        }
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            LOG.warn("{} still holds {} files that are no {}; left there to be looked at", dir, left, what);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.toString());
        }
    }

    private static int commit(AttemptRecordStore store, List<Found> batch, List<Path> files) throws SQLException {
        store.importAll(batch);
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.warn("imported {} but could not remove it: {}", f, e.toString());
            }
        }
        int n = files.size();
        batch.clear();
        files.clear();
        return n;
    }

    /** The file's record; empty, with a warning, when it is none. */
    private static Optional<Found> read(Path f, Contents contents, Path into) {
        Matcher name = NAME.matcher(f.getFileName().toString());
        String reason;
        try {
            if (!name.matches()) {
                reason = "not named <job>-<attempt>.json";
            } else if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                reason = "not a regular file";
            } else if (Files.size(f) > LARGEST) {
                reason = "larger than any record";
            } else {
                String text = Files.readString(f);
                contents.check(text);
                return Optional.of(new Found(Long.parseLong(name.group(1)), Integer.parseInt(name.group(2)),
                        Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis(), text));
            }
        } catch (CharacterCodingException e) {
            reason = "not UTF-8 text";
        } catch (IOException e) {
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        LOG.warn("{}: not imported into {} ({}); left in place", f, into, reason);
        return Optional.empty();
    }
}
