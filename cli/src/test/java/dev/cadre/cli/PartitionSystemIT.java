package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Partitions through bin/cadre against 'cadre up' with one node, in Slurm's words: an operator makes a partition of
 * the node with a MaxTime and a DefaultTime, a job naming it runs there and is told so (SLURM_JOB_PARTITION), squeue
 * %P, scontrol show job and sacct name it, an unknown one is refused as sbatch refuses it, a limit over MaxTime waits
 * PartitionTimeLimit, a DOWN partition keeps its jobs waiting PartitionDown, a drained one takes no new jobs, and one a
 * job waits in is not deleted.
 */
class PartitionSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    @Test
    void aJobRunsInThePartitionItNamesAndTheOthersAreRefusedOrWaitAsInSlurm() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String host = cadre.ok("sinfo", "-h", "-o", "%N").out().trim();
        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "create", "PartitionName=solo",
                "Nodes=" + host, "MaxTime=5", "DefaultTime=2"));
        String shown = cadre.ok("scontrol", "show", "partition", "solo").out();
        assertTrue(shown.startsWith("PartitionName=solo\n") && shown.contains(" Default=NO ")
                && shown.contains("\n   DefaultTime=00:02:00 ") && shown.contains(" MaxTime=00:05:00 ")
                && shown.contains("\n   Nodes=" + host + "\n") && shown.contains("\n   State=UP TotalCPUs=2"
                + " TotalNodes=1 "), shown);
        assertTrue(cadre.ok("scontrol", "show", "partition").out().startsWith("PartitionName=batch\n"));

        assertEquals(new CadreProcess.Result(0, "solo\n", ""), cadre.run("srun", "-p", "solo", "printenv",
                "SLURM_JOB_PARTITION"));
        long ran = Long.parseLong(cadre.ok("sbatch", "--parsable", "-p", "solo", "--wrap", "true").out().trim());
        cadre.awaitState(ran, "COMPLETED", WAIT);
        assertEquals("solo|00:02:00", cadre.ok("sacct", "-X", "-n", "-P", "-j", Long.toString(ran), "-o",
                "Partition,Timelimit").out().trim(), "DefaultTime for a job giving no limit");
        assertTrue(cadre.ok("scontrol", "show", "job", Long.toString(ran)).out().contains("\n   Partition=solo\n"));

        CadreProcess.Result unknown = cadre.run("sbatch", "-p", "nope", "--wrap", "true");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().startsWith("sbatch: error: Batch job submission failed: Invalid partition name"
                + " specified\n"), unknown.err());

        long tooLong = Long.parseLong(cadre.ok("sbatch", "--parsable", "-p", "solo", "-t", "10", "--wrap", "true")
                .out().trim());
        awaitReason(cadre, tooLong, "PartitionTimeLimit");
        cadre.ok("scontrol", "update", "PartitionName=solo", "State=DOWN");
        long down = Long.parseLong(cadre.ok("sbatch", "--parsable", "-p", "solo", "-t", "1", "--wrap", "true")
                .out().trim());
        awaitReason(cadre, down, "PartitionDown");
        assertEquals(tooLong + " solo PartitionDown\n" + down + " solo PartitionDown\n", cadre.ok("squeue", "-h",
                "-p", "solo", "--sort=i", "-o", "%i %P %r").out(), "its state first, as slurmctld's");
        assertEquals("", cadre.ok("squeue", "-h", "-p", "batch", "-o", "%i").out());
        CadreProcess.Result inUse = cadre.run("scontrol", "delete", "PartitionName=solo");
        assertEquals(1, inUse.exit(), inUse.toString());
        assertTrue(inUse.err().startsWith("delete_partition PartitionName=solo: Partition is in use"), inUse.err());

        cadre.ok("scontrol", "update", "PartitionName=solo", "State=DRAIN");
        cadre.awaitState(down, "COMPLETED", WAIT);
        CadreProcess.Result drained = cadre.run("sbatch", "-p", "solo", "--wrap", "true");
        assertEquals(1, drained.exit(), drained.toString());
        assertTrue(drained.err().startsWith("sbatch: error: Batch job submission failed: Required partition not"
                + " available (inactive or drain)\n"), drained.err());

        cadre.ok("scancel", Long.toString(tooLong));
        cadre.awaitState(tooLong, "CANCELLED", WAIT);
        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "delete", "PartitionName=solo"));
        assertEquals("Partition solo not found\n", cadre.run("scontrol", "show", "partition", "solo").out());
    }

    private static void awaitReason(CadreProcess cadre, long id, String reason) throws InterruptedException {
        CadreCommands.await("job " + id + " waiting " + reason, WAIT, () -> {
            try {
                return cadre.run("squeue", "-h", "-j", Long.toString(id), "-o", "%r").out().equals(reason + "\n");
            } catch (Exception e) {
                return false;
            }
        });
    }
}
