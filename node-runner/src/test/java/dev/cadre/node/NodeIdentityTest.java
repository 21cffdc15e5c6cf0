package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theSameMachineAndDirectoryKeepTheId() throws Exception {
        Path state = dir.resolve("node");
        String id = NodeIdentity.loadOrCreate(state, "worker1");
        assertTrue(id.startsWith("worker1-"), id);
        assertEquals(id, NodeIdentity.loadOrCreate(state, "worker1"));
    }

    @Test
    void aStateDirectoryCopiedElsewhereGetsItsOwnId() throws Exception {
        Path original = dir.resolve("a");
        String id = NodeIdentity.loadOrCreate(original, "worker1");
        Path copy = Files.createDirectories(dir.resolve("b"));
        for (String f : new String[] {NodeIdentity.FILE, NodeIdentity.FINGERPRINT_FILE}) {
            Files.copy(original.resolve(f), copy.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        String copied = NodeIdentity.loadOrCreate(copy, "worker1");
        assertNotEquals(id, copied);
        assertEquals(copied, NodeIdentity.loadOrCreate(copy, "worker1"), "the new id then stays");
        assertEquals(id, NodeIdentity.loadOrCreate(original, "worker1"), "the original keeps its id");
    }

    @Test
    void anotherMachineWithTheSameDirectoryGetsItsOwnId() throws Exception {
        String here = NodeIdentity.fingerprint("h1", "0123abcd", "/var/lib/cadre/node");
        String there = NodeIdentity.fingerprint("h2", "0123abcd", "/var/lib/cadre/node");
        assertNotEquals(here, there);
        assertNotEquals(here, NodeIdentity.fingerprint("h1", "4567ef01", "/var/lib/cadre/node"));
        String id = NodeIdentity.loadOrCreate(dir, "h1", here);
        assertEquals(id, NodeIdentity.loadOrCreate(dir, "h1", here));
        assertNotEquals(id, NodeIdentity.loadOrCreate(dir, "h1", there));
    }

    @Test
    void aStateDirectoryOfAnotherUserIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path state = Files.createDirectory(dir.resolve("node"));
        Files.setAttribute(state, "unix:uid", 65534);
        var e = assertThrows(PrivateDirectory.Refused.class, () -> NodeIdentity.loadOrCreate(state, "h1"));
        assertTrue(e.getMessage().startsWith("the node's state directory " + state + " belongs to uid 65534"),
                e.getMessage());
        try (var left = Files.list(state)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void theStateDirectoryAndItsRecordsAreTheOwnersAlone() throws Exception {
        Path state = Files.createDirectory(dir.resolve("node"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        NodeIdentity.loadOrCreate(state, "h1");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                state.resolve(AttemptRecordStore.FILE))));
    }

    @Test
    void anIdFromBeforeFingerprintsIsAdopted() throws Exception {
        Files.writeString(dir.resolve(NodeIdentity.FILE), "old-node-1234\n");
        assertEquals("old-node-1234", NodeIdentity.loadOrCreate(dir, "h1"));
        assertTrue(Files.exists(dir.resolve(NodeIdentity.FINGERPRINT_FILE)));
        assertEquals("old-node-1234", NodeIdentity.loadOrCreate(dir, "h1"));
    }
}
