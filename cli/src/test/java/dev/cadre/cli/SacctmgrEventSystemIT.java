package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sacctmgr show event through bin/sacctmgr against 'cadre up': a node drained with scontrol update State=DRAIN is
 * listed with its reason, its user and no end (Unknown); once resumed the event has its end, and States=DRAIN (the
 * events in force now) no longer lists it. Any other sacctmgr command is refused.
 */
class SacctmgrEventSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aDrainIsAnEventWithReasonAndUserThatTheResumeEnds(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.up("--cores", "2");
        try {
            String node = cadre.ok("sinfo", "-h", "-o", "%N").out().strip();
            String user = System.getProperty("user.name");
            assertEquals(0, cadre.run("scontrol", "update", "NodeName=" + node, "State=DRAIN", "Reason=disk swap")
                    .exit());
            String[] drained = {""};
            CadreProcess.await("sacctmgr to list the drain", WAIT, () -> {
                try {
                    drained[0] = cadre.ok("sacctmgr", "-P", "-n", "show", "event", "Format=NodeName,End,State,Reason,"
                            + "User,Cluster").out();
                    return !drained[0].isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            String[] f = drained[0].strip().split("\\|", -1);
            assertEquals(List.of(node, "Unknown", "DRAIN", "disk swap", "cadre"), List.of(f[0], f[1], f[2], f[3],
                    f[5]), drained[0]);
            assertTrue(f[4].equals(user) || f[4].startsWith(user + "("), drained[0]);
            String table = cadre.ok("sacctmgr", "show", "event", "States=DRAIN").out();
            assertTrue(table.startsWith("   Cluster NodeName                  TimeStart             TimeEnd  State"),
                    table);
            assertTrue(table.contains(" disk swap "), table);

            assertEquals(0, cadre.run("scontrol", "update", "NodeName=" + node, "State=RESUME").exit());
            String[] ended = {""};
            CadreProcess.await("the drain's event to end", WAIT, () -> {
                try {
                    ended[0] = cadre.ok("sacctmgr", "-P", "-n", "list", "events", "All_Time", "Nodes=" + node,
                            "Format=Start,End,Reason").out();
                    return !ended[0].contains("Unknown");
                } catch (Exception e) {
                    return false;
                }
            });
            String[] span = ended[0].strip().split("\\|", -1);
            assertEquals("disk swap", span[2], ended[0]);
            assertTrue(span[1].compareTo(span[0]) >= 0, "ends after it starts: " + ended[0]);
            assertEquals("", cadre.ok("sacctmgr", "-n", "show", "event", "States=DRAIN").out(), "none in force");

            // A search term held to the free-text rule: the head's refusal names the character, echoed masked.
            CadreProcess.Result bidi = cadre.run("sacctmgr", "show", "event", "Reason=disk\u202Eswap");
            assertEquals(1, bidi.exit(), bidi.toString());
            assertEquals("sacctmgr: error: 'reasons' is a comma-separated list of texts of 1 to 256 characters;"
                    + " 'disk?swap' contains U+202E (a bidi override) at character 5\n", bidi.err(), bidi.toString());

            CadreProcess.Result refused = cadre.run("sacctmgr", "-i", "add", "account", "physics");
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("'add' is not supported by Cadre"), refused.toString());
            CadreProcess.Result users = cadre.run("sacctmgr", "show", "user");
            assertEquals(1, users.exit(), users.toString());
            assertTrue(users.err().contains("'show user' is not supported by Cadre"), users.toString());
        } finally {
            cadre.stop();
        }
    }
}
