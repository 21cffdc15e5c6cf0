package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import dev.cadre.cli.wire.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scontrol's show partition, show hostlist, ping and wait_job through bin/scontrol against 'cadre up'. The last test
 * stops the head, to see ping say DOWN.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScontrolPartitionPingWaitSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() throws Exception {
        cadre = HEAD.cadre();
        CadreProcess.await("the head's node to be UP", WAIT, () -> {
            try {
                return Json.parse(cadre.restGet("/api/nodes")).path(0).path("state").asText().equals("UP");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(1)
    void showPartitionPrintsTheOnePartitionWithTheHeadsNodes() throws Exception {
        Json node = Json.parse(cadre.restGet("/api/nodes")).path(0);
        String host = node.path("hostname").asText();
        long memory = node.path("memoryMb").asLong();
        // Slurm's exact unit conversion: divided by 1024 while it is a multiple of 512 (4096 is 4G, 1536 1.50G).
        double size = memory;
        int unit = 0;
        while (size >= 1024 && (long) size % 512 == 0) {
            size /= 1024;
            unit++;
        }
        String mem = (size == (long) size ? "" + (long) size : String.format(java.util.Locale.ROOT, "%.2f", size))
                + "MGTPE".charAt(unit);
        String expected = "PartitionName=batch\n"
                + "   AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL\n"
                + "   AllocNodes=ALL Default=YES QoS=N/A\n"
                + "   DefaultTime=NONE DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO\n"
                + "   MaxNodes=UNLIMITED MaxTime=UNLIMITED MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED"
                + " MaxCPUsPerSocket=UNLIMITED\n"
                + "   Nodes=" + host + "\n"
                + "   PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO\n"
                + "   OverTimeLimit=NONE PreemptMode=OFF\n"
                + "   State=UP TotalCPUs=2 TotalNodes=1 SelectTypeParameters=NONE\n"
                + "   JobDefaults=(null)\n"
                + "   DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED\n"
                + "   TRES=cpu=2,mem=" + mem + ",node=1,billing=2\n\n";
        assertEquals(new CadreProcess.Result(0, expected, ""), cadre.run("scontrol", "show", "partition"));
        assertEquals(new CadreProcess.Result(0, expected, ""), cadre.run("scontrol", "-a", "show", "partitions",
                "batch"));
        assertEquals(new CadreProcess.Result(0, expected.replace("\n   ", " ").replace("\n\n", "\n"), ""),
                cadre.run("scontrol", "-o", "show", "part"));
        assertEquals(new CadreProcess.Result(1, "Partition debug not found\n", ""), cadre.run("scontrol", "show",
                "partition", "debug"));
    }

    @Test
    @Order(2)
    void showHostlistCompressesWhatShowHostnamesExpands() throws Exception {
        assertEquals(new CadreProcess.Result(0, "n[1-3]\n", ""), cadre.run("scontrol", "show", "hostlist",
                "n1,n2,n3"));
        Path file = cadre.workDir.resolve("hosts.txt");
        Files.writeString(file, "gpu02\ngpu01\nn10\nn9\n");
        assertEquals(new CadreProcess.Result(0, "gpu[02,01],n[10,9]\n", ""), cadre.run("scontrol", "show",
                "hostlist", file.toString()));
        assertEquals(new CadreProcess.Result(0, "gpu[01-02],n[9-10]\n", ""), cadre.run("scontrol", "show",
                "hostlistsorted", file.toString()));
        String expanded = cadre.ok("scontrol", "show", "hostnames", "n[01-03],m7").out();
        assertEquals(new CadreProcess.Result(0, "n[01-03],m7\n", ""), cadre.run("scontrol", "show", "hostlist",
                String.join(",", expanded.lines().toList())));
        assertEquals(new CadreProcess.Result(1, "", "Invalid hostlist: n[1- ('n[1-' has a '[' without its ']')\n"),
                cadre.run("scontrol", "show", "hostlist", "n[1-"));
    }

    @Test
    @Order(3)
    void pingSaysTheHeadIsUp() throws Exception {
        String host = URI.create(ClientFile.read(cadre.dataDir.resolve(ClientFile.CLIENT_FILE)).httpUrl()).getHost();
        assertEquals(new CadreProcess.Result(0, "Slurmctld(primary) at " + host + " is UP\n", ""),
                cadre.run("scontrol", "ping"));
    }

    /** wait_job waits while the job is held, and answers once its release lets it run. */
    @Test
    @Order(4)
    void waitJobWaitsForAHeldJobUntilItsReleaseLetsItRun() throws Exception {
        long id = cadre.sbatch("-H", "--wrap", "sleep 60");
        Path output = cadre.workDir.resolve("wait-" + id + ".txt");
        Process wait = cadre.startClient(output, "scontrol", "wait_job", "" + id);
        try {
            // The job stays held however long wait_job asks; by the time squeue has shown it so, a wait_job that
            // answered at once would have ended.
            assertEquals("PD\n", cadre.ok("squeue", "-h", "-j", "" + id, "-o", "%t").out());
            assertTrue(wait.isAlive(), "wait_job returned while the job was held: " + CadreProcess.read(output));
            cadre.ok("scontrol", "release", "" + id);
            assertTrue(wait.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "wait_job still waits");
            assertEquals(0, wait.exitValue(), CadreProcess.read(output));
            assertEquals("scontrol: Nodes are ready for job " + id + "\n", CadreProcess.read(output));
            assertEquals(new CadreProcess.Result(0, "", "scontrol: Nodes are ready for job " + id + "\n"),
                    cadre.run("scontrol", "wait_job", "" + id));
        } finally {
            wait.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            cadre.run("scancel", "" + id);
        }
        cadre.awaitState(id, "CANCELLED", WAIT);
        assertEquals(new CadreProcess.Result(1, "", "scontrol: Job " + id + " no longer running\n"),
                cadre.run("scontrol", "wait_job", "" + id));
        assertEquals(new CadreProcess.Result(1, "", "scontrol: Problem running job 987654\n"
                + "scontrol: error: Invalid job id specified\n"), cadre.run("scontrol", "wait_job", "987654"));
        assertEquals(new CadreProcess.Result(1, "", "Invalid job_id x\n"), cadre.run("scontrol", "wait_job", "x"));
    }

    @Test
    @Order(5)
    void pingSaysDownAndExitsOneOnceTheHeadIsStopped() throws Exception {
        String host = URI.create(ClientFile.read(cadre.dataDir.resolve(ClientFile.CLIENT_FILE)).httpUrl()).getHost();
        assertTrue(cadre.stop(), "the head stopped");
        CadreProcess.Result down = cadre.run("scontrol", "ping");
        assertEquals(1, down.exit(), down.toString());
        assertEquals("", down.err());
        // Root is also asked, in Slurm's banner, to restore the controller.
        assertTrue(down.out().startsWith("Slurmctld(primary) at " + host + " is DOWN\n"), down.out());
    }
}
