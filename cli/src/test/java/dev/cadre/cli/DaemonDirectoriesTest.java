package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.broker.ClientFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data or state directory another user controls is refused as a bad option is (exit 2, the path and the reason),
 * before anything is read from it or written into it. Runs as root here, so another user's directory is made with
 * chown, as review 48 found one.
 */
class DaemonDirectoriesTest {
    @TempDir
    Path tmp;

    @Test
    void aDataDirectoryOfAnotherUserIsRefusedAndNothingIsWrittenThere() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("evil"));
        Files.setAttribute(data, "unix:uid", 65534);
        var e = assertThrows(LongOptions.UsageException.class, () -> Daemons.head(List.of("--data-dir",
                data.toString(), "--mdns-address", "off", "--http-port", "0"), true));
        assertEquals("the data directory " + data + " belongs to uid 65534, not to uid 0 that Cadre runs as: that"
                + " user could change what Cadre reads and runs; chown it once you have checked what it holds; or"
                + " choose another with --data-dir", e.getMessage());
        try (var left = Files.list(data)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aStateDirectoryOthersMayWriteToIsRefusedBeforeTheNodeJoinsAHead() throws Exception {
        Path nodeFile = tmp.resolve("node.json");
        new ClientFile("tcp://127.0.0.1:1", null, null, null, "cadre-node", "pw", null, "cadre-exec", "pw")
                .write(nodeFile);
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        var e = assertThrows(LongOptions.UsageException.class, () -> Daemons.node(List.of("--state-dir",
                state.toString(), "--server", "tcp://127.0.0.1:1"), nodeFile.toString()));
        assertEquals("the node's state directory " + state + " is writable by other users (mode 777), who could"
                + " change what Cadre reads and runs; chmod go-w it once you have checked what it holds; or choose"
                + " another with --state-dir", e.getMessage());
    }
}
