package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cadre up --process-tracking' reaches the head's own node; 'cadre server', which has none, refuses it. */
class UpProcessTrackingSystemIT {
    @TempDir
    Path base;
    private CadreProcess cadre;

    @AfterEach
    void stop() throws Exception {
        if (cadre != null) {
            cadre.stop();
        }
    }

    @Test
    void sessionTrackingLeavesJobsInTheNodesOwnCgroup() throws Exception {
        cadre = new CadreProcess(base);
        Process up = cadre.up("--process-tracking", "session", "--cores", "1");
        String headCgroup = Files.readString(Path.of("/proc/" + up.pid() + "/cgroup"));
        long id = cadre.sbatch("--wrap", "cat /proc/self/cgroup");
        cadre.awaitState(id, "COMPLETED", Duration.ofSeconds(60));
        // Tracked by cgroup (the default where one can be made, as here), the job would be in a cgroup of its own.
        assertEquals(headCgroup, Files.readString(cadre.workDir.resolve("slurm-" + id + ".out")));
        assertTrue(CadreProcess.read(cadre.headLog).contains("process tracking: session (configured"),
                CadreProcess.read(cadre.headLog));
    }

    @Test
    void serverRefusesTheLocalNodesOption() throws Exception {
        cadre = new CadreProcess(base);
        CadreProcess.Result r = cadre.run("cadre", "server", "--data-dir", base.resolve("data").toString(),
                "--process-tracking", "session");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--process-tracking is for 'cadre up' only"), r.err());
        assertFalse(Files.exists(base.resolve("data")), "nothing is started or created");
    }
}
