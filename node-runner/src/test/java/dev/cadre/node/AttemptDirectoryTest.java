package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing an attempt directory, on a real file system. */
class AttemptDirectoryTest {
    @TempDir
    Path root;

    @Test
    void deleteRemovesFilesAndNestedDirectoriesButNothingALinkPointsTo() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "the user's");
        Path dir = Files.createDirectories(root.resolve("jobs").resolve("7-1"));
        Files.writeString(dir.resolve(AttemptDirectory.PLACE), "{}");
        Files.writeString(dir.resolve(AttemptDirectory.STATUS), "0 0 1\n");
        Files.createDirectories(dir.resolve("nested").resolve("deeper"));
        Files.writeString(dir.resolve("nested").resolve("deeper").resolve("file"), "x");
        Files.createDirectories(dir.resolve("empty"));
        Files.createSymbolicLink(dir.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(dir.resolve("link-to-file"), outside.resolve("keep"));

        new AttemptDirectory(dir).delete();

        assertFalse(Files.exists(dir));
        assertTrue(Files.isDirectory(root.resolve("jobs")));
        assertEquals("the user's", Files.readString(outside.resolve("keep")));
    }

    @Test
    void deletingADirectoryThatIsAlreadyGoneIsNotAnError() throws Exception {
        Path dir = root.resolve("jobs").resolve("8-1");
        new AttemptDirectory(dir).delete();
        assertFalse(Files.exists(dir));
    }
}
