package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Slurm commands given bad input, each its own process against 'cadre up': Slurm's error texts and exit
 * codes, which change nothing; a job no node could hold refused in Slurm's words, then Cadre's; a drain's reason or a
 * job's name with a terminal control or a bidi character refused; the help and version texts, and a daemon option
 * given where it does not apply.
 */
class SlurmBadInputSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void badInputGetsSlurmsErrorsAndExitCodesAndChangesNothing() throws Exception {
        String before = cadre.ok("squeue", "-h", "-t", "all", "-o", "%i %T").out();
        assertEquals(new CadreProcess.Result(1, "", "slurm_load_jobs error: Invalid job id specified\n"),
                cadre.run("squeue", "-j", "987654"));
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: Kill job error on job id 987654: Invalid job id"
                + " specified\n"), cadre.run("scancel", "987654"));
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: No job identification provided\n"),
                cadre.run("scancel"));
        assertEquals(new CadreProcess.Result(1, "", "squeue: unrecognized option '--bogus'\n"
                + "Try \"squeue --help\" for more information\n"), cadre.run("squeue", "--bogus"));
        assertEquals(1, cadre.run("sacct", "-S", "not-a-time").exit());
        assertEquals("Invalid time specification (pos=0): not-a-time\n", cadre.run("sacct", "-S", "not-a-time")
                .err());
        Path bad = cadre.workDir.resolve("bad.sh");
        Files.writeString(bad, "#!/bin/sh\n#SBATCH --mail-user=<your e-mail>\necho\n");
        assertEquals(new CadreProcess.Result(255, "", "sbatch: error: Invalid directive found in batch script:"
                + " e-mail>\n"), cadre.run("sbatch", bad.toString()));
        CadreProcess.Result hostile = cadre.run("sbatch", "-o", "/proc/self/mem", "--wrap", "true");
        assertEquals(1, hostile.exit());
        assertTrue(hostile.err().startsWith("sbatch: error: Batch job submission failed: "), hostile.err());
        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Unable to open file nope.sh\n"),
                cadre.run("sbatch", "nope.sh"));
        assertEquals(before, cadre.ok("squeue", "-h", "-t", "all", "-o", "%i %T").out(),
                "nothing was submitted or changed");
    }

    @Test
    void aJobTheNodesCouldNeverHoldIsRefusedInSlurmsWordsThenCadres() throws Exception {
        awaitTheNodeUp();
        String before = cadre.ok("squeue", "-h", "-t", "all", "-o", "%i %T").out();
        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Batch job submission failed: Node count"
                + " specification invalid\nsbatch: error: spec.nodes: asks 3 nodes; 1 of the 1 known nodes can hold a"
                + " task\n"), cadre.run("sbatch", "-N", "3", "--wrap", "true"));
        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Batch job submission failed: Requested node"
                + " configuration is not available\nsbatch: error: spec.cpusPerTask: asks 64 CPUs per task; the largest"
                + " node has 2\n"), cadre.run("sbatch", "-c", "64", "--wrap", "true"));
        CadreProcess.Result elsewhere = cadre.run("sbatch", "-w", "nosuch-host", "--wrap", "true");
        assertEquals(1, elsewhere.exit());
        assertTrue(elsewhere.err().startsWith("sbatch: error: Batch job submission failed: Invalid node name"
                + " specified\nsbatch: error: spec.nodelist: names nosuch-host, which is not a known node; the known"
                + " nodes are "), elsewhere.err());
        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Batch job submission failed: Job dependency"
                + " problem\nsbatch: error: spec.dependency: names job 987654, which does not exist\n"),
                cadre.run("sbatch", "-d", "afterok:987654", "--wrap", "true"));
        assertEquals(new CadreProcess.Result(1, "", "srun: error: Unable to allocate resources: Requested node"
                + " configuration is not available\nsrun: error: spec.memoryMb: asks 104857600 MB per node; the"
                + " largest node has " + Json.parse(cadre.restGet("/api/nodes")).path(0).path("memoryMb").asLong(0)
                + "\n"), cadre.run("srun", "--mem=100T", "true"));
        assertEquals(new CadreProcess.Result(1, "", "salloc: error: Job submit/allocate failed: Node count"
                + " specification invalid\nsalloc: error: spec.nodes: asks 2 nodes; 1 of the 1 known nodes can hold a"
                + " task\n"), cadre.run("salloc", "-N", "2", "true"));
        assertEquals(before, cadre.ok("squeue", "-h", "-t", "all", "-o", "%i %T").out(), "nothing was stored");
    }

    /** protocol.md 4.6: what others see printed carries no terminal control and no bidi character. */
    @Test
    void freeTextWithATerminalControlOrABidiCharacterIsRefusedAndChangesNothing() throws Exception {
        awaitTheNodeUp();
        String host = Json.parse(cadre.restGet("/api/nodes")).path(0).path("hostname").asText();
        String node = cadre.ok("scontrol", "show", "node", host).out();
        assertEquals(new CadreProcess.Result(1, "", "slurm_update error: reason: contains U+001B (escape, a control"
                + " character) at character 1 for node " + host + "\n"), cadre.run("scontrol", "update", "NodeName="
                + host, "State=DRAIN", "Reason=\u001b[31mx"));
        assertEquals(new CadreProcess.Result(1, "", "slurm_update error: reason: contains U+202E (a bidi override) at"
                + " character 6 for node " + host + "\n"), cadre.run("scontrol", "update", "NodeName=" + host,
                "State=DRAIN", "Reason=disk \u202eswap"));
        assertEquals(node, cadre.ok("scontrol", "show", "node", host).out(), "the node is not drained");
        String before = cadre.ok("squeue", "-h", "-t", "all", "-o", "%i %T").out();
        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Batch job submission failed: spec.name: contains"
                + " U+202E (a bidi override) at character 5\n"), cadre.run("sbatch", "-J", "abcd\u202eevil", "--wrap",
                "true"));
        assertEquals(before, cadre.ok("squeue", "-h", "-t", "all", "-o", "%i %T").out(), "nothing was submitted");
    }

    private static void awaitTheNodeUp() throws InterruptedException {
        CadreProcess.await("the head's node to be UP", WAIT, () -> {
            try {
                return Json.parse(cadre.restGet("/api/nodes")).path(0).path("state").asText().equals("UP");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void helpAndVersionTextsAndADaemonOptionThatDoesNotApply() throws Exception {
        CadreProcess.Result help = cadre.run("sbatch", "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().startsWith("Usage: sbatch [OPTIONS...] [script [args...]]\n"), help.out());
        for (String command : List.of("sbatch", "sinfo", "scontrol", "squeue", "sacct", "scancel", "srun",
                "salloc", "sstat")) {
            assertEquals(new CadreProcess.Result(0, "slurm 23.11.0 (cadre)\n", ""), cadre.run(command, "-V"), command);
        }
        CadreProcess.Result up = cadre.run("cadre", "up", "--help");
        assertEquals(0, up.exit(), up.toString());
        assertTrue(up.out().startsWith("usage: cadre up [options]\n") && up.out().contains("--scheduler-policy P"),
                up.out());
        assertEquals(new CadreProcess.Result(2, "", "cadre server: --cores is for 'cadre up' only: 'cadre server'"
                + " starts no node of its own (give it to 'cadre node')\n"), cadre.run("cadre", "server", "--cores", "2"));
    }
}
