package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's socket is at the same path at every start on a state directory, also one whose path is too long for
 * a socket: the agents of a runner killed with SIGKILL, and the jobs' CADRE_EXEC_SOCKET, find the next runner. A
 * private directory someone else could have made or reached is never used.
 */
class RelaySocketPathTest {
    @TempDir
    Path dir;
    @TempDir
    Path tmp;

    private Path longStateDir() throws Exception {
        Path state = dir.resolve("s".repeat(60)).resolve("t".repeat(60));
        Files.createDirectories(state);
        assertFalse(RelaySocketPath.fits(state.toAbsolutePath().resolve("exec.sock")));
        return state;
    }

    @Test
    void aShortStateDirectoryHoldsTheSocket() throws Exception {
        RelaySocketPath path = RelaySocketPath.of(dir, tmp);
        assertEquals(dir.toAbsolutePath().resolve("exec.sock"), path.socket());
        assertNull(path.privateDir());
    }

    @Test
    void aLongStateDirectoryGetsTheSamePrivateDirectoryEveryTime() throws Exception {
        Path state = longStateDir();
        RelaySocketPath first = RelaySocketPath.of(state, tmp);
        RelaySocketPath again = RelaySocketPath.of(state, tmp);
        assertEquals(first, again);
        assertEquals(tmp, first.privateDir().getParent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateDir())));
        assertTrue(RelaySocketPath.fits(first.socket()));
        Path other = Files.createDirectories(dir.resolve("u".repeat(60)).resolve("v".repeat(60)));
        assertNotEquals(first.socket(), RelaySocketPath.of(other, tmp).socket(), "another node's state directory");
    }

    @Test
    void aDirectoryOthersCouldHaveMadeOrReachedIsNotUsed() throws Exception {
        Path state = longStateDir();
        Path named = RelaySocketPath.of(state, tmp).privateDir();
        Files.setPosixFilePermissions(named, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path instead = RelaySocketPath.of(state, tmp).privateDir();
        assertNotEquals(named, instead);

        Files.delete(named);
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(named, elsewhere);
        assertNotEquals(named, RelaySocketPath.of(state, tmp).privateDir(), "a link is not followed");
    }

    /** As after a kill -9: the first relay never closed, its socket file is left; the next one listens there. */
    @Test
    void theNextRelayListensWhereAKilledOnesAgentsLook() throws Exception {
        Path state = longStateDir();
        try (InVmBroker broker = InVmBroker.start(dir.resolve("broker"))) {
            HeldAttempts held = new HeldAttempts("n1", new ExecRecords(state.resolve("exec")));
            ExecRelay killed = ExecRelay.start(state, new ExecClient(broker.node()), new AgentFailures(held));
            try (ExecRelay next = ExecRelay.start(state, new ExecClient(broker.node()), new AgentFailures(held));
                    SocketChannel agent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertEquals(killed.socket(), next.socket());
                agent.connect(UnixDomainSocketAddress.of(next.socket()));
            } finally {
                killed.close();
            }
        }
    }
}
