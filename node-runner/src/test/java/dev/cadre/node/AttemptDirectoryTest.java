package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.WrapperStatus;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating and removing an attempt directory, on a real file system. */
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

    /**
     * A place-job whose script cannot be written: a lone surrogate has no UTF-8 form, so a write after the directory
     * was made fails, as a full disk's would, without a file system of its own that a test would have to mount.
     */
    static NodeCommand.PlaceJob unwritable(long id, Path workDir) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/sh\necho \uD800\n")
                .workDir(workDir.toString()).build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    @Test
    void aDirectoryWhoseFilesCannotBeWrittenIsRemovedSoThatThePlaceJobIsNotTakenForARepeat() {
        Path jobs = root.resolve("jobs");
        assertThrows(IOException.class, () -> AttemptDirectory.create(Files.createDirectories(jobs),
                unwritable(9, root)));
        assertFalse(Files.exists(AttemptDirectory.of(jobs, 9, 1)));
    }

    @Test
    void aClaimOrStatusCutShortOrDamagedIsNamedNotTakenForANumber() throws Exception {
        AttemptDirectory dir = new AttemptDirectory(Files.createDirectories(root.resolve("jobs").resolve("10-1")));
        Files.writeString(dir.claimFile(), "");
        assertEquals(dir.claimFile() + " holds nothing, not a wrapper's pid",
                assertThrows(AttemptDirectory.DamagedRecord.class, dir::claimedPid).getMessage());
        Files.writeString(dir.claimFile(), "12\u0000\n");
        assertThrows(AttemptDirectory.DamagedRecord.class, dir::claimedPid);
        Files.writeString(dir.claimFile(), "4242\n");
        assertEquals(4242, dir.claimedPid());
        for (String damaged : List.of("", "3", "3 x", "3 0 0 9", " \n")) {
            Files.writeString(dir.statusFile(), damaged);
            assertThrows(AttemptDirectory.DamagedRecord.class, dir::status, "'" + damaged + "'");
        }
        Files.writeString(dir.statusFile(), "3 zero\n");
        assertEquals(new AttemptDirectory.RecordedEnd(Optional.empty(), "the job's end is unknown: "
                + dir.statusFile() + " holds '3 zero?', not an exit status"), dir.recordedEnd());
        Files.writeString(dir.statusFile(), "3 0 0\n");
        assertEquals(Optional.of(new WrapperStatus(3, 0, true)), dir.recordedEnd().status());
        Files.writeString(dir.dir().resolve(AttemptDirectory.PID), "77");
        assertThrows(AttemptDirectory.DamagedRecord.class, dir::pid);
    }
}
