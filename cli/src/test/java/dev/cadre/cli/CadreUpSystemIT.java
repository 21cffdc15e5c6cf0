package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts bin/cadre up as its own process and drives it only through the Slurm-compatible commands. */
class CadreUpSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Two, whatever this machine has: jobsSurviveSigkillOfTheHead fills the node with one job of -c 2. */
    private static final String[] CORES = {"--cores", "2"};
    @TempDir
    Path base;
    private CadreProcess cadre;

    @BeforeEach
    void start() throws Exception {
        cadre = new CadreProcess(base);
        cadre.defaultRuntimeDir = true;
        cadre.up(CORES);
    }

    @AfterEach
    void stop() throws Exception {
        cadre.stop();
        // The default runtime directory is outside the test's directory; a job still running at a kill keeps it.
        if (cadre.headLog == null || !Files.readString(cadre.headLog).contains("attempt directories in")) {
            return; // 'cadre up' never got that far
        }
        Path runtime = attemptDirectories().getParent();
        if (Files.exists(runtime) && !runtime.startsWith(base)
                && runtime.getFileName().toString().startsWith("node-")) {
            CadreProcess.deleteTree(runtime);
        }
    }

    @Test
    void wrapAndScriptJobsRunWithTheirDirectivesAndSlurmEnvironment() throws Exception {
        long wrap = cadre.sbatch("--wrap", "echo hi $SLURM_JOB_ID $SLURM_JOB_NAME $SLURM_NTASKS $SLURM_NNODES");
        cadre.awaitState(wrap, "COMPLETED", WAIT);
        assertEquals("hi " + wrap + " wrap 1 1\n", Files.readString(cadre.workDir.resolve("slurm-" + wrap + ".out")));

        Path out = Files.createDirectories(base.resolve("elsewhere"));
        Path script = cadre.workDir.resolve("job.sh");
        Files.writeString(script, """
                #!/bin/bash
                #SBATCH -J named -o %x-%j.out
                #SBATCH -e %x-%j.err -D %s
                echo "out in $PWD submitted from $SLURM_SUBMIT_DIR"
                echo oops >&2
                exit 7
                """.replace("%s", out.toString()));
        long scripted = cadre.sbatch(script.toString());
        cadre.awaitState(scripted, "FAILED", WAIT);
        assertEquals("7:0", cadre.sacct(scripted).get("exit"));
        assertEquals("out in " + out + " submitted from " + cadre.workDir + "\n",
                Files.readString(out.resolve("named-" + scripted + ".out")));
        assertEquals("oops\n", Files.readString(out.resolve("named-" + scripted + ".err")));
    }

    @Test
    void timeLimitEndsTheJobAsTimeout() throws Exception {
        long id = cadre.sbatch("-t", "0:02", "--wrap", "echo started; sleep 60");
        cadre.awaitState(id, "TIMEOUT", WAIT);
        assertEquals("0:15", cadre.sacct(id).get("exit"));
    }

    @Test
    void scancelKillsTheWholeProcessTree() throws Exception {
        Path pids = cadre.workDir.resolve("pids");
        long id = cadre.sbatch("--wrap", "sleep 300 & echo $! > " + pids + "; sleep 300");
        cadre.awaitState(id, "RUNNING", WAIT);
        CadreProcess.await("the job to write its child's pid", WAIT, () -> CadreProcess.read(pids).endsWith("\n"));
        long child = Long.parseLong(CadreProcess.read(pids).trim());
        var squeue = cadre.run("squeue");
        assertTrue(squeue.out().startsWith("             JOBID PARTITION     NAME     USER ST       TIME  NODES"
                + " NODELIST(REASON)\n"), squeue.out());
        assertTrue(squeue.out().contains(" R "), squeue.out());
        var cancel = cadre.run("scancel", "" + id);
        assertEquals(0, cancel.exit(), cancel.err());
        assertEquals("", cancel.out() + cancel.err());
        cadre.awaitState(id, "CANCELLED", WAIT);
        assertFalse(running(child), "a job process survived");
        var again = cadre.run("scancel", "999999");
        assertEquals(1, again.exit());
        assertEquals("scancel: error: Kill job error on job id 999999: Invalid job id specified\n", again.err());
    }

    @Test
    void clientCommandsWithoutValidCredentialsSayWhy() throws Exception {
        Path bad = base.resolve("bad.json");
        String good = Files.readString(cadre.dataDir.resolve("client.json"));
        Files.writeString(bad, good.replaceAll("\"token\" : \"[0-9a-f]+\"", "\"token\" : \"wrong\""));
        var r = cadre.run("squeue", "--config", bad.toString());
        var viaCadre = cadre.run("cadre", "--config", bad.toString(), "squeue");
        assertEquals(1, viaCadre.exit());
        assertTrue(viaCadre.err().contains("refused the credentials"), viaCadre.err());
        assertEquals(1, r.exit());
        var missing = cadre.run("cadre", "--config", base.resolve("none.json").toString(), "squeue");
        assertTrue(missing.err().contains("no Cadre client file at"), missing.err());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cadre.dataDir.resolve("client.json"))));
    }

    /** Where the last started 'cadre up' keeps attempt directories, as its log says. */
    private Path attemptDirectories() throws Exception {
        Matcher m = Pattern.compile("attempt directories in (\\S+) \\(").matcher(Files.readString(cadre.headLog));
        assertTrue(m.find(), "the log " + cadre.headLog + " names the attempt directories");
        return Path.of(m.group(1));
    }

    private static boolean ramFileSystemForRoot() throws Exception {
        if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
            return false;
        }
        for (String dir : new String[] {"/run", "/dev/shm"}) {
            if (Files.isDirectory(Path.of(dir)) && Files.getFileStore(Path.of(dir)).type().equals("tmpfs")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void jobsSurviveSigkillOfTheHead() throws Exception {
        Path gate = cadre.workDir.resolve("gate");
        long running = cadre.sbatch("-c", "2", "--wrap", "while [ ! -f " + gate + " ]; do sleep 0.1; done; echo done");
        cadre.awaitState(running, "RUNNING", WAIT);
        long queued1 = cadre.sbatch("--wrap", "echo one");
        long queued2 = cadre.sbatch("--wrap", "echo two");
        assertEquals("PENDING", cadre.state(queued1));

        Path jobs = attemptDirectories();
        assertTrue(Files.isDirectory(jobs.resolve(running + "-1")), "the running attempt is in " + jobs);
        if (ramFileSystemForRoot()) {
            assertEquals("tmpfs", Files.getFileStore(jobs).type(), "a root node keeps attempts in RAM: " + jobs);
        }

        cadre.kill9();
        cadre.up(CORES);
        assertEquals(jobs, attemptDirectories(), "the restarted node looks where its attempts are");
        assertEquals("PENDING", cadre.state(queued2), "queued jobs wait for the running one after the restart");
        assertEquals("RUNNING", cadre.state(running), "the running job is found again");
        Files.writeString(gate, "");
        cadre.awaitState(running, "COMPLETED", WAIT);
        cadre.awaitState(queued1, "COMPLETED", WAIT);
        cadre.awaitState(queued2, "COMPLETED", WAIT);
        assertEquals("done\n", Files.readString(cadre.workDir.resolve("slurm-" + running + ".out")));
        assertEquals("two\n", Files.readString(cadre.workDir.resolve("slurm-" + queued2 + ".out")));

        // A clean stop (SIGTERM) and start keep every finished state.
        assertTrue(cadre.stop(), "cadre up must stop by itself on SIGTERM");
        if (!jobs.startsWith(base)) {
            assertFalse(Files.exists(jobs.getParent()), "a node stopped with no job left removes its runtime directory");
        }
        // A lost node key is made again, loudly: every remote node refuses the new one until it gets the new node.json.
        assertFalse(Files.readString(cadre.headLog).contains("is missing"), "no warning while the key is there");
        String pinned = Files.readString(cadre.dataDir.resolve(ClientFile.NODE_FILE));
        Files.delete(cadre.dataDir.resolve(HeadKeyStore.FILE));
        cadre.up(CORES);
        assertTrue(Files.readString(cadre.headLog).contains(HeadKeyStore.FILE + " is missing, though "
                + ClientFile.NODE_FILE + " shows the head has started before"), "the head says the key is new");
        assertNotEquals(pinned, Files.readString(cadre.dataDir.resolve(ClientFile.NODE_FILE)));
        assertEquals("COMPLETED", cadre.state(queued2));
        long after = cadre.sbatch("--wrap", "true");
        assertEquals(queued2 + 1, after, "job ids keep counting after restarts");
        cadre.awaitState(after, "COMPLETED", WAIT);
    }

    /**
     * Alive and not a zombie: a killed orphan is reaped by init, which on some machines (this CI's VM among them)
     * never reaps, and a zombie runs nothing.
     */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException gone) {
            return false;
        }
    }
}
