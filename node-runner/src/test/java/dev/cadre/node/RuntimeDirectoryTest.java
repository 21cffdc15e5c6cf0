package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
