package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.db.Database;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cadre up' refuses, with status 2 and a message naming the file or directory, a data directory another head
 * holds, a node state directory another node holds, and a cadre.db it cannot use: damaged, someone else's, or
 * not writable. Each refusal comes before the broker starts, so it is quick.
 */
class DataDirectoryRefusalSystemIT {
    @TempDir
    Path base;

    @Test
    void aSecondHeadOrNodeOnDirectoriesInUseIsRefusedNamingTheHoldersPid() throws Exception {
        CadreProcess first = new CadreProcess(base.resolve("first"));
        first.up("--mdns-address", "off");
        try {
            long pid = first.head().pid();
            CadreProcess second = new CadreProcess(base.resolve("first"));
            CadreProcess.Result r = second.run("cadre", upArgs(second));
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("data directory " + first.dataDir + " is in use by another Cadre (pid "
                    + pid + ")"), r.err());

            Path nodeState = first.dataDir.resolve("node");
            CadreProcess.Result node = first.run("cadre", "node", "--server", "tcp://127.0.0.1:" + first.ports[1],
                    "--config", first.dataDir.resolve(ClientFile.NODE_FILE).toString(), "--state-dir",
                    nodeState.toString());
            assertEquals(2, node.exit(), node.err());
            assertTrue(node.err().contains("node state directory " + nodeState + " is in use by another Cadre (pid "
                    + pid + ")"), node.err());
        } finally {
            first.stop();
        }
        // Released with the head: the directory serves the next one.
        CadreProcess again = new CadreProcess(base.resolve("first"));
        again.up("--mdns-address", "off");
        again.stop();
    }

    /** Refused before any part starts: no scheduler reads the queues of a head that is then refused. */
    @Test
    void aHeadWhoseLocalNodesDirectoryANodeHoldsIsRefusedBeforeItsSchedulerStarts() throws Exception {
        CadreProcess server = new CadreProcess(base.resolve("server"));
        server.startHead("server", "--mdns-address", "off");
        Process node = null;
        try {
            CadreProcess head = new CadreProcess(base.resolve("busy-node"));
            Path nodeState = head.dataDir.resolve("node");
            node = server.startNode(nodeState, "busy");
            CadreProcess.Result r = head.run("cadre", upArgs(head));
            assertEquals(2, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("node state directory " + nodeState + " is in use by another Cadre (pid "
                    + node.pid() + ")"), r.err());
            assertFalse((r.out() + r.err()).contains("scheduler started"), r.err());
            assertFalse((r.out() + r.err()).contains("broker keeps"), r.err());
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            server.stop();
        }
    }

    @Test
    void aDamagedOrForeignDatabaseIsRefusedNamingTheFileAndWhatToDo() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(59).nextBytes(noise);
        refused("random", db -> Files.write(db, noise), "is damaged or not a SQLite database");
        refused("truncated", db -> {
            Database.open(db);
            sql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO"
                    + " nodes (id, hostname, addresses, cores, memory_mb, gpus, state, last_seen)"
                    + " SELECT 'n' || i, hex(randomblob(500)), '[]', 1, 1, 0, 'IDLE', 0 FROM n");
            try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
        }, "is damaged or not a SQLite database");
        refused("foreign-jobs", db -> sql(db, "CREATE TABLE jobs (id INTEGER PRIMARY KEY, title TEXT)"),
                "is not Cadre's database");
        refused("foreign-id", db -> sql(db, "PRAGMA application_id = 1234"), "is not Cadre's database");
        refused("newer", db -> {
            Database.open(db);
            sql(db, "PRAGMA user_version = 999");
        }, "is newer than this Cadre");
    }

    @Test
    void aDatabaseThatCannotBeWrittenIsRefusedBeforeCadreIsUp() throws Exception {
        Path data = Files.createDirectories(base.resolve("readonly/data"));
        Path db = data.resolve("cadre.db");
        Database.open(db);
        // The file alone read-only, as chattr +i or a read-only file system make it: SQLite then opens it read-only.
        mount("--bind", db.toString(), db.toString());
        try {
            mount("-o", "remount,ro,bind", db.toString());
            CadreProcess head = new CadreProcess(base.resolve("readonly"));
            CadreProcess.Result r = head.run("cadre", upArgs(head));
            assertEquals(2, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("cannot write " + db), r.err());
            assertTrue(!r.out().contains("Cadre is up"), r.out());
        } finally {
            run("umount", db.toString());
        }
    }

    private interface Damage {
        void apply(Path db) throws Exception;
    }

    private void refused(String name, Damage damage, String reason) throws Exception {
        CadreProcess head = new CadreProcess(base.resolve(name));
        Files.createDirectories(head.dataDir);
        Path db = head.dataDir.resolve("cadre.db");
        damage.apply(db);
        long started = System.nanoTime();
        CadreProcess.Result r = head.run("cadre", upArgs(head));
        assertEquals(2, r.exit(), name + ": " + r.out() + r.err());
        assertTrue(r.err().contains(db.toString()) && r.err().contains(reason), name + ": " + r.err());
        assertTrue(r.err().contains("move") || r.err().contains("upgrade"), name + ": " + r.err());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 30, name + " was slow");
    }

    private static String[] upArgs(CadreProcess head) {
        List<String> args = new ArrayList<>(List.of("up", "--data-dir", head.dataDir.toString(), "--http-port",
                "" + head.ports[0], "--broker-port", "" + head.ports[1], "--amqp-port", "" + head.ports[2],
                "--stomp-port", "" + head.ports[3], "--node-port", "" + head.ports[4], "--mdns-address", "off",
                "--runtime-dir", head.dataDir.resolveSibling("runtime").toString()));
        return args.toArray(String[]::new);
    }

    private static void sql(Path db, String statement) throws Exception {
        try (var sql = DriverManager.getConnection("jdbc:sqlite:" + db); var st = sql.createStatement()) {
            st.execute(statement);
        }
    }

    private static void mount(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mount"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
