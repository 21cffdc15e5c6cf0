package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Slurm commands as users and their tools meet them, each its own process against 'cadre up': the layouts
 * they print, their error texts and exit codes for bad input (which changes nothing), srun outside a job and
 * Ctrl-C, and scancel's filters.
 */
class SlurmCommandsSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void squeueSacctAndSinfoPrintSlurmsLayouts() throws Exception {
        long id = cadre.sbatch("-J", "layout", "--wrap", "sleep 30");
        cadre.awaitState(id, "RUNNING", WAIT);
        String user = System.getProperty("user.name");
        List<String> squeue = cadre.ok("squeue", "-j", "" + id).out().lines().toList();
        assertEquals("             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)",
                squeue.get(0));
        assertTrue(squeue.get(1).matches(String.format("%18s %9s %8s %8s %2s %10s %6s \\S+", id, "batch", "layout",
                user.length() > 8 ? user.substring(0, 8) : user, "R", "0:\\d\\d", 1).replace("    0:", " +0:")),
                squeue.get(1));
        List<String> sacct = cadre.ok("sacct", "-j", "" + id).out().lines().toList();
        assertEquals(List.of("JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
                "------------ ---------- ---------- ---------- ---------- ---------- -------- ",
                String.format("%-12s %10s %10s %10s %10s %10s %8s ", id, "layout", "batch", "", 1, "RUNNING", "0:0"),
                String.format("%-12s %10s %10s %10s %10s %10s %8s ", id + ".batch", "batch", "", "", 1, "RUNNING",
                        "0:0")), sacct);
        assertTrue(cadre.ok("sinfo").out().matches("PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
                + "batch\\*       up   infinite      1    mix \\S+\n"), cadre.ok("sinfo").out());
        assertEquals("", cadre.ok("scancel", "" + id).out(), "scancel is silent");
        cadre.awaitState(id, "CANCELLED", WAIT);
        // Slurm's "CANCELLED by UID": scancel names the user running it, the job keeps it through the node's
        // confirmation of the kill, and sacct shows that user's uid.
        assertEquals(id + "|CANCELLED by " + CadreProcess.myUid() + "\n" + id + ".batch|CANCELLED\n", cadre.ok("sacct", "-n", "-P",
                "-j", "" + id, "-o", "JobID,State").out());
        assertEquals(id + "\n", cadre.ok("sacct", "-X", "-n", "-P", "-s", "CA", "-j", "" + id, "-o", "JobID").out());
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
        CadreProcess.await("the head's node to be UP", WAIT, () -> {
            try {
                return Json.parse(cadre.restGet("/api/nodes")).path(0).path("state").asText().equals("UP");
            } catch (Exception e) {
                return false;
            }
        });
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

    @Test
    void squeueStartShowsWhenAndWhereTheHeadExpectsWaitingJobsToStart() throws Exception {
        long running = cadre.sbatch("-n", "2", "-t", "10", "--wrap", "sleep 300");
        cadre.awaitState(running, "RUNNING", WAIT);
        long next = cadre.sbatch("-n", "2", "-t", "5", "-J", "next", "--wrap", "true");
        long held = cadre.sbatch("-H", "-J", "held", "--wrap", "true");
        try {
            String host = Json.parse(cadre.restGet("/api/nodes")).path(0).path("hostname").asText();
            Instant started = Json.parse(cadre.restGet("/api/jobs/" + running)).path("startTime").asInstant();
            List<String> lines = cadre.ok("squeue", "--start").out().lines().toList();
            assertEquals("             JOBID PARTITION     NAME     USER ST          START_TIME  NODES SCHEDNODES"
                    + "           NODELIST(REASON)", lines.get(0));
            String[] nextLine = lines.stream().filter(l -> l.trim().startsWith(next + " ")).findFirst().orElseThrow()
                    .trim().split(" +");
            Instant expected = LocalDateTime.parse(nextLine[5]).atZone(ZoneId.systemDefault()).toInstant();
            Instant limit = started.plusSeconds(600);
            assertTrue(!expected.isBefore(limit.minusSeconds(1)) && expected.isBefore(limit.plusSeconds(61))
                    && expected.getEpochSecond() % 60 == 0, "expected when the running job reaches its limit ("
                    + limit + "), at the next whole minute (the resolution's step): " + lines);
            assertEquals(List.of("PD", host, "(Resources)"), List.of(nextLine[4], nextLine[7], nextLine[8]), lines
                    .toString());
            String heldLine = lines.stream().filter(l -> l.trim().startsWith(held + " ")).findFirst().orElseThrow();
            assertTrue(heldLine.matches(" *" + held + " +batch +held +\\S+ +PD +N/A +1 \\(null\\) +\\(JobHeldUser\\)"),
                    heldLine);
            assertEquals(nextLine[5] + " " + host, cadre.ok("squeue", "-h", "-j", "" + next, "-o", "%S %Y").out()
                    .strip(), "%S and %Y ask the head too");
            String shown = cadre.ok("scontrol", "show", "job", "" + next).out();
            assertTrue(shown.contains("\n   StartTime=" + nextLine[5] + " EndTime=" + DateTimeFormatter.ISO_LOCAL_DATE_TIME
                    .format(LocalDateTime.ofInstant(expected.plusSeconds(300), ZoneId.systemDefault())) + " Deadline=N/A\n"), shown);
            assertTrue(shown.contains("\n   NodeList=(null) SchedNodeList=" + host + "\n"), shown);
            CadreProcess.Result trial = cadre.run("sbatch", "--test-only", "-n", "2", "-t", "5", "--wrap", "true");
            assertEquals(List.of(0, ""), List.of(trial.exit(), trial.out()), trial.toString());
            assertEquals("sbatch: Job " + (held + 1) + " to start at " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                    LocalDateTime.ofInstant(expected.plusSeconds(300), ZoneId.systemDefault())) + " using 2 processors"
                    + " on nodes " + host + " in partition batch\n", trial.err(), "behind the job ahead of it");
            CadreProcess.Result srunTrial = cadre.run("srun", "--test-only", "-n", "2", "-t", "5", "true");
            assertEquals(List.of(0, ""), List.of(srunTrial.exit(), srunTrial.out()), srunTrial.toString());
            assertEquals(trial.err().replaceFirst("^sbatch", "srun"), srunTrial.err(), "srun asks alike");
            CadreProcess.Result inJob = cadre.run(Map.of("SLURM_JOB_ID", "" + running, "CADRE_EXEC_SOCKET",
                    "/nonexistent"), "srun", "--test-only", "true");
            assertEquals(List.of(1, "srun: error: --test-only asks when a new job would start; this is a step of job "
                    + running + "\n"), List.of(inJob.exit(), inJob.err()), inJob.toString());
            CadreProcess.Result wide = cadre.run("sbatch", "--test-only", "-N", "3", "--wrap", "true");
            assertEquals(1, wide.exit(), wide.toString());
            assertTrue(wide.err().startsWith("allocation failure: Node count specification invalid\nsbatch: error:"
                    + " spec.nodes: "), wide.err());
            CadreProcess.Result heldTrial = cadre.run("sbatch", "--test-only", "-H", "--wrap", "true");
            assertEquals(List.of(1, "allocation failure: it would be held (user) until released\n"), List.of(
                    heldTrial.exit(), heldTrial.err()), heldTrial.toString());
            assertEquals(1, cadre.run("squeue", "-h", "-j", "" + (held + 1)).exit(), "--test-only stores no job");
            String heldShown = cadre.ok("scontrol", "show", "job", "" + held).out();
            assertTrue(heldShown.contains("\n   StartTime=Unknown EndTime=Unknown Deadline=N/A\n")
                    && heldShown.contains("\n   NodeList=(null)\n"), heldShown);
        } finally {
            cadre.ok("scancel", running + "," + next + "," + held);
        }
        cadre.awaitState(running, "CANCELLED", WAIT);
    }

    @Test
    void srunOutsideAJobAllocatesRunsAndStreams() throws Exception {
        CadreProcess.Result r = cadre.run("srun", "-n", "2", "-l", "bash", "-c",
                "echo task $SLURM_PROCID of $SLURM_NTASKS; echo warn >&2");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("0: task 0 of 2", "1: task 1 of 2"), r.out().lines().sorted().toList());
        assertEquals(List.of("0: warn", "1: warn"), r.err().lines().filter(l -> !l.startsWith("srun: job "))
                .sorted().toList());
        CadreProcess.Result failed = cadre.run("srun", "bash", "-c", "exit 3");
        assertEquals(3, failed.exit(), failed.toString());
        assertTrue(failed.err().matches("srun: error: \\S+: task 0: Exited with exit code 3\n"), failed.err());
        try (var files = Files.list(cadre.workDir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".cadre-srun"))
                    .toList(), "srun removes the job's output files it followed");
        }
    }

    @Test
    void sallocRunsItsCommandInTheAllocationAndGivesItBack() throws Exception {
        CadreProcess.Result r = cadre.run("salloc", "-N", "1", "-n", "2", "bash", "-c",
                "echo job=$SLURM_JOB_ID tasks=$SLURM_NTASKS; srun -l bash -c 'echo rank $SLURM_PROCID' | sort");
        assertEquals(0, r.exit(), r.toString());
        List<String> out = r.out().lines().toList();
        assertEquals(3, out.size(), r.toString());
        assertTrue(out.get(0).matches("job=\\d+ tasks=2"), r.toString());
        String id = out.get(0).substring(4, out.get(0).indexOf(' '));
        assertEquals(List.of("0: rank 0", "1: rank 1"), out.subList(1, 3));
        List<String> said = r.err().lines().toList();
        assertEquals("salloc: Granted job allocation " + id, said.get(0), r.toString());
        assertTrue(said.get(1).matches("salloc: Nodes \\S+ are ready for job"), r.toString());
        assertEquals("salloc: Relinquishing job allocation " + id, said.get(said.size() - 1), r.toString());
        assertEquals(id + "|bash|COMPLETED", cadre.ok("sacct", "-X", "-n", "-P", "-j", id, "-o", "JobID,JobName,State")
                .out().trim());

        CadreProcess.Result failed = cadre.run("salloc", "-J", "seven", "bash", "-c", "exit 7");
        assertEquals(7, failed.exit(), failed.toString());
        CadreProcess.Result limited = cadre.run(Map.of("SALLOC_TIMELIMIT", "7", "SBATCH_TIMELIMIT", "9"), "salloc",
                "bash", "-c", "echo $SLURM_JOB_ID");
        assertEquals(0, limited.exit(), limited.toString());
        assertEquals("00:07:00", cadre.ok("sacct", "-X", "-n", "-P", "-j", limited.out().trim(), "-o", "Timelimit")
                .out().trim(), "SALLOC_TIMELIMIT set the limit, SBATCH_TIMELIMIT nothing");
        CadreProcess.Result fromInput = cadre.runWithInput("echo from input in $SLURM_JOB_ID\nexit 4\n", "salloc");
        assertEquals(4, fromInput.exit(), fromInput.toString());
        assertTrue(fromInput.out().matches("from input in \\d+\n"), fromInput.toString());
        CadreProcess.Result array = cadre.run("salloc", "--array=1-2", "true");
        assertEquals(new CadreProcess.Result(1, "", "salloc: unrecognized option '--array'\n"
                + "Try \"salloc --help\" for more information\n"), array);
        try (var files = Files.list(cadre.workDir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".cadre-salloc"))
                    .toList(), "salloc removes the job's output files it followed");
        }
    }

    @Test
    void srunTasksSharingAnOutputFileEachKeepTheirLines() throws Exception {
        Path shared = cadre.workDir.resolve("shared.txt");
        Files.writeString(shared, "left by an earlier run\n");
        CadreProcess.Result r = cadre.run("srun", "-n", "2", "-o", "shared.txt", "bash", "-c",
                "echo task $SLURM_PROCID");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("task 0", "task 1"), Files.readAllLines(shared).stream().sorted().toList());
        r = cadre.run("srun", "-n", "2", "-o", "own-%2t.txt", "bash", "-c", "echo task $SLURM_PROCID");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("task 1\n", Files.readString(cadre.workDir.resolve("own-01.txt")));
    }

    @Test
    void aScriptThatIsNotUtf8RunsReadAsLatin1() throws Exception {
        Path script = cadre.workDir.resolve("latin1.sh");
        Files.write(script, "#!/bin/sh\n# M\u00fcller\n#SBATCH -o latin1-%j.out\necho gr\u00fc\u00df\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        CadreProcess.Result r = cadre.run("sbatch", script.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("sbatch: warning: " + script + " is not UTF-8 text; read as ISO-8859-1 (Latin-1), its non-ASCII"
                + " characters reach the job as UTF-8\n", r.err());
        long id = Long.parseLong(r.out().replace("Submitted batch job ", "").trim());
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("gr\u00fc\u00df\n", Files.readString(cadre.workDir.resolve("latin1-" + id + ".out")));
    }

    @Test
    void ctrlCOnSrunCancelsItsJob() throws Exception {
        Path log = cadre.workDir.getParent().resolve("srun.log");
        Process srun = cadre.startClient(log, "srun", "-J", "interrupted", "bash", "-c", "echo started; sleep 120");
        CadreProcess.await("srun's task to start", WAIT, () -> CadreProcess.read(log).contains("started"));
        new ProcessBuilder("kill", "-INT", Long.toString(srun.pid())).start().waitFor();
        assertTrue(srun.waitFor(30, TimeUnit.SECONDS), "srun ends on Ctrl-C");
        String id = cadre.ok("sacct", "-X", "-n", "-P", "--name", "interrupted", "-o", "JobID").out().trim();
        cadre.awaitState(Long.parseLong(id), "CANCELLED", WAIT);
        assertTrue(CadreProcess.read(log).contains("srun: forcing job termination"), CadreProcess.read(log));
    }

    @Test
    void scancelSignalReachesTheBatchScript() throws Exception {
        long id = cadre.sbatch("-o", "sig-%j.out", "--wrap",
                "trap 'echo got USR1; exit 0' USR1; echo ready; while true; do sleep 0.2; done");
        Path out = cadre.workDir.resolve("sig-" + id + ".out");
        CadreProcess.await("the script to set its trap", WAIT, () -> CadreProcess.read(out).contains("ready"));
        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scancel", "--signal=USR1", "-b", "" + id));
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("ready\ngot USR1\n", CadreProcess.read(out));
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: Kill job error on job id " + id
                + ": Job/step already completing or completed\n"), cadre.run("scancel", "-s", "USR1", "" + id));
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: Invalid job signal: NOPE\n"),
                cadre.run("scancel", "-s", "NOPE", "" + id));
    }

    @Test
    void scancelFiltersPickAmongTheJobs() throws Exception {
        long running = cadre.sbatch("-J", "keep", "-c", "2", "--wrap", "sleep 60");
        cadre.awaitState(running, "RUNNING", WAIT);
        long waiting = cadre.sbatch("-J", "drop", "--wrap", "sleep 60");
        long other = cadre.sbatch("-J", "other", "--wrap", "sleep 60");
        assertEquals("", cadre.ok("scancel", "-t", "PENDING", "-n", "drop").out());
        cadre.awaitState(waiting, "CANCELLED", WAIT);
        assertEquals("PENDING", cadre.state(other));
        assertEquals("RUNNING", cadre.state(running));
        assertEquals("", cadre.ok("scancel", "--me").out());
        cadre.awaitState(running, "CANCELLED", WAIT);
        cadre.awaitState(other, "CANCELLED", WAIT);
    }

    @Test
    void sbatchWaitExitsWithTheJobsExitCodeAndAScriptMayComeOnStandardInput() throws Exception {
        CadreProcess.Result failed = cadre.run("sbatch", "-W", "--wrap", "exit 3");
        assertEquals(3, failed.exit(), failed.toString());
        assertTrue(failed.out().matches("Submitted batch job \\d+\n"), failed.out());
        CadreProcess.Result array = cadre.run("sbatch", "--wait", "--parsable", "-a", "0-2", "--wrap",
                "exit $SLURM_ARRAY_TASK_ID");
        assertEquals(2, array.exit(), "the highest of the tasks' exit codes: " + array);
        CadreProcess.Result piped = cadre.runWithInput("#!/bin/sh\n#SBATCH -o stdin-%j.out\necho read from stdin\n",
                "sbatch", "-W", "-Q", "-p", "elsewhere");
        assertEquals(0, piped.exit(), piped.toString());
        assertEquals("", piped.err(), "-Q leaves out the warning that -p is ignored");
        long id = Long.parseLong(piped.out().replace("Submitted batch job ", "").trim());
        assertEquals("read from stdin\n", Files.readString(cadre.workDir.resolve("stdin-" + id + ".out")),
                "the job had ended when sbatch -W did");
        assertEquals("sbatch", cadre.ok("sacct", "-X", "-n", "-P", "-j", "" + id, "-o", "JobName").out().trim());
    }

    @Test
    void scontrolAndSqueueShowWhatADependencyStillWaitsOn() throws Exception {
        long failed = cadre.sbatch("--wrap", "false");
        cadre.awaitState(failed, "FAILED", WAIT);
        long held = cadre.sbatch("-H", "--wrap", "true");
        // One term can never hold, the other still may: the job waits.
        long waiting = cadre.sbatch("-d", "afterok:" + failed + "?afterany:" + held, "--wrap", "true");
        try {
            String left = "afterok:" + failed + "(failed)?afterany:" + held + "(unfulfilled)";
            assertEquals(left + "\n", cadre.ok("squeue", "-h", "-j", "" + waiting, "-o", "%E").out());
            String shown = cadre.ok("scontrol", "show", "job", "" + waiting).out();
            assertTrue(shown.contains(" Dependency=" + left + "\n"), shown);
            assertEquals("(null)\n", cadre.ok("squeue", "-h", "-j", "" + held, "-o", "%E").out());
        } finally {
            cadre.ok("scancel", held + "," + waiting);
        }
    }

    @Test
    void sbatchWaitForAJobCancelledBeforeItRanExitsOne() throws Exception {
        Path log = cadre.workDir.getParent().resolve("sbatch-wait.log");
        Process waiting = cadre.startClient(log, "sbatch", "-W", "-H", "--wrap", "true");
        CadreProcess.await("sbatch to submit", WAIT, () -> CadreProcess.read(log).startsWith("Submitted batch job "));
        String id = CadreProcess.read(log).trim().replace("Submitted batch job ", "");
        assertEquals("", cadre.ok("scancel", id).out());
        assertTrue(waiting.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "sbatch -W ends with its job");
        assertEquals(1, waiting.exitValue(), "Slurm would say 0, as if the job had run: " + CadreProcess.read(log));
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
