package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job sbcast copies to: the one it runs in, reached through its exec relay, and no other. */
class SbcastAllocationTest {
    private static Map<String, String> job() {
        Map<String, String> env = new HashMap<>(Map.of("SLURM_JOB_ID", "57", "CADRE_JOB_ID", "57",
                "CADRE_EXEC_SOCKET", "/run/cadre/relay.sock", "CADRE_EXEC_NODES", "h1=n-1,h2=n-2,n-3=n-3,h1=n-1"));
        env.put("SLURM_ARRAY_JOB_ID", "50");
        env.put("SLURM_ARRAY_TASK_ID", "7");
        return env;
    }

    private static String error(String option, Map<String, String> env) {
        return assertThrows(SlurmUsageException.class, () -> SbcastAllocation.of(option, env)).getMessage();
    }

    @Test
    void theCurrentJobsNodesInOrderEachOnce() throws Exception {
        assertEquals(new SbcastAllocation("57", List.of("h1", "h2", "n-3")), SbcastAllocation.of(null, job()));
        for (String named : new String[] {"57", "57.batch", "57.0", "50_7", "50_7.extern"}) {
            assertEquals("57", SbcastAllocation.of(named, job()).jobId(), named);
        }
        assertEquals(List.of("h1"), SbcastAllocation.hosts("h1=n-1,bad,=x,y=,h1=n-1"));
    }

    @Test
    void outsideAJobItIsSlurmsNeedAJobId() {
        assertEquals("sbcast: error: Need a job id to run this command.  Run from within a Slurm job or use the"
                + " --jobid option.", error(null, Map.of()));
        String named = error("12", Map.of());
        assertTrue(named.startsWith("sbcast: error: Slurm job ID 12 lookup error: sbcast runs inside a job only"),
                named);
    }

    @Test
    void anotherJobIsRefusedSayingWhy() {
        String other = error("58", job());
        assertEquals("sbcast: error: Slurm job ID 58 lookup error: from inside job 57 only its own nodes can be"
                + " reached: the exec relay takes this job's credential and no other job's", other);
        assertTrue(error("50_8", job()).contains("Slurm job ID 50_8 lookup error"));
        assertTrue(error("57+1", job()).contains("Cadre has no heterogeneous jobs"));
        assertEquals("sbcast: error: Invalid job id specified: x57", error("x57", job()));
    }

    @Test
    void aJobWithoutItsExecVariablesIsNamed() {
        Map<String, String> salloc = new HashMap<>(Map.of("SLURM_JOB_ID", "57"));
        String e = error(null, salloc);
        assertTrue(e.startsWith("sbcast: error: Slurm job ID 57 lookup error: CADRE_EXEC_SOCKET is not set"), e);
        Map<String, String> noNodes = job();
        noNodes.put("CADRE_EXEC_NODES", "garbage");
        assertTrue(error(null, noNodes).contains("CADRE_EXEC_NODES names no node: 'garbage'"));
    }
}
