package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taking the one node of 'cadre up' out of service and back with scontrol update State=DRAIN|RESUME, each command
 * its own process: the running job finishes, a new one waits with ReqNodeNotAvail, sinfo shows drng then drain,
 * the drain outlives a kill -9 of the head, and the waiting job runs once the node is resumed.
 */
class NodeDrainSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private CadreProcess cadre;

    private String sinfo(String format) throws Exception {
        return cadre.ok("sinfo", "-h", "-o", format).out();
    }

    private void await(String what, String command, String[] args, String expected) throws Exception {
        String[] last = {""};
        CadreProcess.await(what + ": '" + expected.strip() + "'", WAIT, () -> {
            try {
                return (last[0] = cadre.ok(command, args).out()).equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aDrainedNodeFinishesItsJobTakesNoNewOneAndKeepsTheDrainUntilResumed(@TempDir Path base) throws Exception {
        cadre = new CadreProcess(base);
        cadre.up("--cores", "2");
        try {
            drainKeepResume();
        } finally {
            cadre.close(); // and the job waiting for its gate, when an assertion failed before the gate was opened
        }
    }

    private void drainKeepResume() throws Exception {
        Path gate = cadre.workDir.resolve("drain-gate");
        long running = cadre.sbatch("--wrap", "while [ ! -f " + gate + " ]; do sleep 0.1; done; echo finished");
        cadre.awaitState(running, "RUNNING", WAIT);
        String node = sinfo("%N").strip();

        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "update", "NodeName=" + node,
                "State=DRAIN", "Reason=disk swap"));
        await("sinfo to show the node draining", "sinfo", new String[] {"-h", "-o", "%t %T"}, "drng draining\n");
        String shown = cadre.ok("scontrol", "show", "node", node).out();
        assertTrue(shown.contains("   State=MIXED+DRAIN "), shown);
        assertTrue(shown.contains("   Reason=disk swap ["), shown);
        assertTrue(cadre.ok("sinfo", "-R", "-h").out().startsWith("disk swap "), "sinfo -R lists the reason");
        assertTrue(cadre.restGet("/api/nodes").contains("\"reason\":\"disk swap\""));

        long waiting = cadre.sbatch("--wrap", "echo after-resume");
        await("the new job to wait for the node", "squeue", new String[] {"-h", "-j", "" + waiting, "-o", "%t %r"},
                "PD ReqNodeNotAvail\n");

        // Refused requests change nothing.
        CadreProcess.Result unknown = cadre.run("scontrol", "update", "NodeName=no-such-node", "State=DRAIN",
                "Reason=x");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("Invalid node name specified"), unknown.err());
        CadreProcess.Result noReason = cadre.run("scontrol", "update", "NodeName=" + node, "State=RESUME",
                "State=DRAIN");
        assertEquals(1, noReason.exit());
        assertTrue(noReason.err().contains("You must specify a reason"), noReason.err());
        CadreProcess.Result badState = cadre.run("scontrol", "update", "NodeName=" + node, "State=NAP");
        assertEquals(1, badState.exit());
        assertTrue(badState.err().startsWith("Invalid input: State=NAP"), badState.err());
        assertTrue(cadre.ok("scontrol", "show", "node", node).out().contains("   Reason=disk swap ["));

        Files.writeString(gate, "");
        cadre.awaitState(running, "COMPLETED", WAIT);
        assertEquals("finished\n", Files.readString(cadre.workDir.resolve("slurm-" + running + ".out")));
        await("sinfo to show the node drained", "sinfo", new String[] {"-h", "-o", "%t %T"}, "drain drained\n");
        assertEquals(node + "\n", cadre.ok("sinfo", "-h", "-o", "%N", "-t", "drained").out());
        assertEquals("", cadre.ok("sinfo", "-h", "-o", "%N", "-t", "draining").out());
        assertEquals("PENDING", cadre.state(waiting));

        cadre.kill9();
        cadre.up("--cores", "2");
        await("the restarted head to keep the drain", "sinfo", new String[] {"-h", "-o", "%t"}, "drain\n");
        assertTrue(cadre.ok("scontrol", "show", "node", node).out().contains("   State=IDLE+DRAIN "));
        await("the job to still wait for the node", "squeue", new String[] {"-h", "-j", "" + waiting, "-o",
                "%t %r"}, "PD ReqNodeNotAvail\n");

        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "update", "NodeName=" + node,
                "State=RESUME"));
        cadre.awaitState(waiting, "COMPLETED", WAIT);
        assertEquals("after-resume\n", Files.readString(cadre.workDir.resolve("slurm-" + waiting + ".out")));
        assertEquals("idle\n", sinfo("%t"));
        assertEquals("", cadre.ok("sinfo", "-R", "-h").out());
    }
}
