package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cadre up' on a port another program holds, or with a bad CADRE_BROKER_* value, is refused as a bad option is:
 * status 2, one line that names the port and its option (or the variable and what it takes), no stack trace, and
 * no data directory made: a second head, such as a second user's on the default ports, leaves nothing behind.
 */
class StartRefusalSystemIT {
    @TempDir
    Path base;

    @Test
    void aPortInUseIsRefusedInOneLineNamingItsOptionAndNothingIsMade() throws Exception {
        CadreProcess head = new CadreProcess(base.resolve("fresh"));
        try (ServerSocket other = new ServerSocket(head.ports[2], 1, InetAddress.getByName("127.0.0.1"))) {
            CadreProcess.Result r = head.run("cadre", upArgs(head));
            assertEquals(new CadreProcess.Result(2, "", "cadre up: cannot listen on 127.0.0.1, port " + head.ports[2]
                    + " (--amqp-port): Address already in use; another program (another Cadre?) may hold it: stop"
                    + " that, or give this head another port with --amqp-port\n"), r);
            assertFalse(Files.exists(head.dataDir), "the data directory was not made");

            // A data directory that exists is locked first (a second head on it hears whose it is), then refused
            // the same way, with nothing added but the lock.
            Files.createDirectories(head.dataDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            CadreProcess.Result again = head.run("cadre", upArgs(head));
            assertEquals(r.exit(), again.exit(), again.toString());
            assertEquals(r.err(), again.err());
            assertEquals(List.of(DirectoryLock.FILE), contents(head.dataDir));
        }
    }

    @Test
    void twoListenersOnOnePortAreRefusedNamingBothOptionsAndNothingIsMade() throws Exception {
        CadreProcess head = new CadreProcess(base.resolve("shared"));
        String port = "" + head.ports[1];
        CadreProcess.Result server = head.run("cadre", "server", "--data-dir", head.dataDir.toString(),
                "--broker-port", port, "--amqp-port", port, "--mdns-address", "off");
        assertEquals(new CadreProcess.Result(2, "", "cadre server: --broker-port and --amqp-port are both " + port
                + ": each listener needs a port of its own\n"), server);
        List<String> args = new java.util.ArrayList<>(List.of(upArgs(head)));
        args.set(args.indexOf("--http-port") + 1, "" + head.ports[3]);
        CadreProcess.Result up = head.run("cadre", args.toArray(String[]::new));
        assertEquals(new CadreProcess.Result(2, "", "cadre up: --http-port and --stomp-port are both "
                + head.ports[3] + ": each listener needs a port of its own\n"), up);
        assertFalse(Files.exists(head.dataDir), "the data directory was not made");
    }

    @Test
    void aBadBrokerVariableIsRefusedNamingItAndNothingIsMade() throws Exception {
        CadreProcess head = new CadreProcess(base.resolve("env"));
        CadreProcess.Result retention = head.run(Map.of("CADRE_BROKER_EVENT_RETENTION", "400d"), "cadre",
                upArgs(head));
        assertEquals(new CadreProcess.Result(2, "", "cadre up: CADRE_BROKER_EVENT_RETENTION must be a duration from"
                + " 1s to 365d: seconds (3600) or a number with s, m, h or d (90m, 12h, 30d), not '400d'\n"),
                retention);
        CadreProcess.Result disk = head.run(Map.of("CADRE_BROKER_CLIENT_DISK_PERCENT", "99"), "cadre", upArgs(head));
        assertEquals(new CadreProcess.Result(2, "", "cadre up: CADRE_BROKER_CLIENT_DISK_PERCENT must be a whole"
                + " percentage from 1 to 98, not '99'\n"), disk);
        assertFalse(Files.exists(head.dataDir), "the data directory was not made");
    }

    private static List<String> contents(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String[] upArgs(CadreProcess head) {
        return new String[] {"up", "--data-dir", head.dataDir.toString(), "--http-port", "" + head.ports[0],
            "--broker-port", "" + head.ports[1], "--amqp-port", "" + head.ports[2], "--stomp-port",
            "" + head.ports[3], "--node-port", "" + head.ports[4], "--mdns-address", "off", "--runtime-dir",
            head.dataDir.resolveSibling("runtime").toString()};
    }
}
