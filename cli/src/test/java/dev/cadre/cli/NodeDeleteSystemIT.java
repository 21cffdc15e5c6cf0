package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that comes back under a new id (its state directory moved) leaves a DOWN record of itself under its host
 * name; scontrol delete NodeName= forgets it, so sinfo, scontrol show node and the REST API list the UP node alone,
 * and a job naming the host runs there; the broker's queues of the old id go. An UP node is refused, and an unknown name, each changing nothing.
 */
class NodeDeleteSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String nodeId(Path stateDir) throws Exception {
        return Files.readString(stateDir.resolve("node-id")).strip();
    }

    @Test
    void theDownRecordOfAMovedNodeIsDeletedAndAnUpNodeIsRefused(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.startHead("server", "--node-timeout", "2");
        Process first = null;
        Process second = null;
        try {
            first = cadre.startNode(base.resolve("a"), "h1");
            String oldId = nodeId(base.resolve("a"));
            first.destroy();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first node-runner stops");
            second = cadre.startNode(base.resolve("b"), "h1");
            String newId = nodeId(base.resolve("b"));
            assertFalse(oldId.equals(newId), "another state directory, another id");
            CadreProcess.await("sinfo to show the old record DOWN beside the new one", WAIT, () -> {
                try {
                    return cadre.ok("sinfo", "-h", "-o", "%t %N").out().equals("down* h1\nidle h1\n");
                } catch (Exception e) {
                    return false;
                }
            });

            assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "delete", "NodeName=h1"));
            assertEquals("idle h1\n", cadre.ok("sinfo", "-h", "-o", "%t %N").out());
            String nodes = cadre.restGet("/api/nodes");
            assertFalse(nodes.contains(oldId), nodes);
            assertTrue(nodes.contains(newId), nodes);
            assertEquals(1, cadre.ok("scontrol", "show", "node", "-o").out().lines().count());
            // Its command, output and exec queues go from the broker with it, not the new node's.
            CadreProcess.await("the head to remove the old node's queues", WAIT, () -> {
                try {
                    return Files.readString(cadre.headLog).contains("removed 3 queue(s) of deleted nodes");
                } catch (Exception e) {
                    return false;
                }
            });
            long named = cadre.sbatch("-w", "h1", "--wrap", "echo on-h1");
            cadre.awaitState(named, "COMPLETED", WAIT);

            CadreProcess.Result up = cadre.run("scontrol", "delete", "NodeName=h1");
            assertEquals(1, up.exit());
            assertEquals("delete_node error: node h1 (" + newId + ") is UP; only a DOWN node can be deleted: stop"
                    + " its node-runner, and delete the node once it is DOWN (after the head's --node-timeout)\n",
                    up.err());
            CadreProcess.Result unknown = cadre.run("scontrol", "delete", "NodeName=" + oldId);
            assertEquals(1, unknown.exit());
            assertEquals("delete_node error: Invalid node name specified (" + oldId + ")\n", unknown.err());
            CadreProcess.Result partition = cadre.run("scontrol", "delete", "PartitionName=debug");
            assertEquals(1, partition.exit());
            assertTrue(partition.err().startsWith("delete_partition PartitionName=debug: Invalid partition name specified"),
                    partition.err());
            assertEquals("idle h1\n", cadre.ok("sinfo", "-h", "-o", "%t %N").out(), "refusals change nothing");
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
            cadre.stop();
        }
    }
}
