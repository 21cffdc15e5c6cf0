package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule for where attempt directories live, against made-up file systems; then removal on a real one. */
class RuntimeDirectoryTest {
    private static final Path STATE = Path.of("/var/lib/cadre/node");

    private static Function<Path, Optional<String>> fileSystems(Map<String, String> types) {
        return p -> Optional.ofNullable(types.get(p.toString()));
    }

    private static RuntimeDirectory choose(boolean root, Map<String, String> types) {
        return RuntimeDirectory.choose(STATE, Optional.empty(), root, fileSystems(types), false);
    }

    @Test
    void rootUsesRunWhenItIsARamFileSystem() {
        RuntimeDirectory r = choose(true, Map.of("/run", "tmpfs", "/dev/shm", "tmpfs"));
        assertEquals(Path.of("/run/cadre", RuntimeDirectory.nameFor(STATE)), r.dir());
        assertEquals(Path.of("/run/cadre", RuntimeDirectory.nameFor(STATE), "jobs"), r.jobs());
    }

    @Test
    void rootFallsBackToDevShmWhenRunIsOnDisk() {
        RuntimeDirectory r = choose(true, Map.of("/run", "ext4", "/dev/shm", "tmpfs"));
        assertEquals(Path.of("/dev/shm/cadre", RuntimeDirectory.nameFor(STATE)), r.dir());
    }

    @Test
    void withoutAWritableRamFileSystemTheStateDirectoryHoldsTheAttempts() {
        assertEquals(STATE, choose(true, Map.of("/run", "ext4")).dir());
        assertEquals(STATE, choose(true, Map.of()).dir());
    }

    @Test
    void aLoginUserKeepsAttemptsInTheStateDirectoryUnlessTold() {
        // logind may empty /dev/shm of a user's files at logout; a root node has no such risk.
        assertEquals(STATE, choose(false, Map.of("/run", "tmpfs", "/dev/shm", "tmpfs")).dir());
        RuntimeDirectory told = RuntimeDirectory.choose(STATE, Optional.of(Path.of("/run/user/1000/cadre")), false,
                fileSystems(Map.of()), false);
        assertEquals(Path.of("/run/user/1000/cadre/jobs"), told.jobs());
    }

    @Test
    void attemptsAlreadyInTheStateDirectoryKeepItThereSoARestartFindsThem() {
        RuntimeDirectory r = RuntimeDirectory.choose(STATE, Optional.empty(), true,
                fileSystems(Map.of("/run", "tmpfs")), true);
        assertEquals(STATE, r.dir());
    }

    @Test
    void eachStateDirectoryHasItsOwnStableName() {
        assertEquals(RuntimeDirectory.nameFor(STATE), RuntimeDirectory.nameFor(Path.of("/var/lib/cadre/./node")));
        assertNotEquals(RuntimeDirectory.nameFor(STATE), RuntimeDirectory.nameFor(Path.of("/var/lib/cadre/node2")));
        assertTrue(RuntimeDirectory.nameFor(STATE).matches("node-[0-9a-f]{16}"), RuntimeDirectory.nameFor(STATE));
    }

    @Test
    void preparingCreatesADirectoryOnlyItsOwnerCanEnter(@TempDir Path tmp) throws Exception {
        RuntimeDirectory r = new RuntimeDirectory(tmp.resolve("a/b/run"), "test");
        r.prepare(tmp.resolve("state"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(r.dir())));
        r.prepare(tmp.resolve("state"));
        assertTrue(Files.isDirectory(tmp.resolve("state")));
    }

    @Test
    void aPlantedDirectoryIsRefusedWithTheReason(@TempDir Path tmp) throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        var e = assertThrows(IOException.class, () -> new RuntimeDirectory(open, "test").prepare(tmp.resolve("s")));
        assertEquals("the runtime directory " + open + " is writable by other users (mode 777), who could change"
                + " what Cadre reads and runs; chmod go-w it once you have checked what it holds; or choose another"
                + " with --runtime-dir", e.getMessage());

        // A link another user planted (in /dev/shm, say) leads where they chose.
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("target")));
        Files.setAttribute(link, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        var l = assertThrows(IOException.class, () -> new RuntimeDirectory(link, "test").prepare(tmp.resolve("s")));
        assertTrue(l.getMessage().contains(link + " is a symbolic link that belongs to uid 65534"), l.getMessage());
    }

    @Test
    void onlyAnEmptyRuntimeDirectoryIsRemovedAndNeverTheStateDirectory(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        RuntimeDirectory busy = new RuntimeDirectory(tmp.resolve("run/a"), "test");
        Files.createDirectories(busy.jobs().resolve("7-1"));
        busy.removeIfEmpty(state);
        assertTrue(Files.isDirectory(busy.jobs().resolve("7-1")), "an attempt still there");

        RuntimeDirectory idle = new RuntimeDirectory(tmp.resolve("run/b"), "test");
        Files.createDirectories(idle.jobs());
        idle.removeIfEmpty(state);
        assertFalse(Files.exists(idle.dir()));

        RuntimeDirectory inState = new RuntimeDirectory(state, "test");
        Files.createDirectories(inState.jobs());
        inState.removeIfEmpty(state);
        assertTrue(Files.isDirectory(inState.jobs()));
    }
}
