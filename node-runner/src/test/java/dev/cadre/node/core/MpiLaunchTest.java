package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hostfile and the environment the first node gives an MPI job. */
class MpiLaunchTest {
    private static final Allocation FOUR = new Allocation(List.of(slots("node1", 2), slots("node2", 2),
            slots("node3", 2), slots("gpu07", 1)));
    private static final RemoteExecSetup SETUP = new RemoteExecSetup(Path.of("/var/lib/cadre/jobs/7.1/hostfile"),
            Path.of("/opt/cadre/bin/cadre-rsh"), Path.of("/var/lib/cadre/exec.sock"));

    private static Allocation.NodeSlots slots(String host, int tasks) {
        return new Allocation.NodeSlots("id-" + host, host, tasks, tasks * 2, 0, 0);
    }

    private static Map<String, String> env(JobSpec.Builder spec, Allocation a, RemoteExecSetup setup) {
        JobSpec s = spec.user("u").script("#!/bin/sh\n").workDir("/tmp").build();
        return LaunchPlanner.plan(new NodeCommand.PlaceJob(7, 1, s, a, "token"), "cadre", setup).environment();
    }

    @Test
    void theHostfileListsEachNodeWithItsTasksInAllocationOrder() {
        assertEquals("node1 slots=2\nnode2 slots=2\nnode3 slots=2\ngpu07 slots=1\n", Hostfile.text(FOUR));
    }

    @Test
    void aHostNameThatWouldBreakTheFileIsRefused() {
        Allocation bad = new Allocation(List.of(slots("node1\nevil slots=99", 1)));
        assertThrows(IllegalArgumentException.class, () -> Hostfile.text(bad));
    }

    @Test
    void theFirstNodeSetsSlurmsAllocationVariablesCompressed() {
        Map<String, String> env = env(JobSpec.builder().nodes(4).tasks(7).cpusPerTask(2), FOUR, SETUP);
        assertEquals("node[1-3],gpu07", env.get("SLURM_JOB_NODELIST"));
        assertEquals("node[1-3],gpu07", env.get("SLURM_NODELIST"));
        assertEquals("4", env.get("SLURM_NNODES"));
        assertEquals("4", env.get("SLURM_JOB_NUM_NODES"));
        assertEquals("2(x3),1", env.get("SLURM_TASKS_PER_NODE"));
        assertEquals("4(x3),2", env.get("SLURM_JOB_CPUS_PER_NODE"));
        assertEquals("7", env.get("SLURM_NTASKS"));
        assertEquals("7", env.get("SLURM_NPROCS"));
        assertEquals("2", env.get("SLURM_CPUS_PER_TASK"));
    }

    @Test
    void mpiLaunchersAreSentThroughCadresAgent() {
        Map<String, String> env = env(JobSpec.builder(), FOUR, SETUP);
        assertEquals("/var/lib/cadre/jobs/7.1/hostfile", env.get("CADRE_HOSTFILE"));
        assertEquals("rsh", env.get("OMPI_MCA_plm"));
        assertEquals("/opt/cadre/bin/cadre-rsh", env.get("OMPI_MCA_plm_rsh_agent"));
        assertEquals("rsh", env.get("HYDRA_LAUNCHER"));
        assertEquals("/opt/cadre/bin/cadre-rsh", env.get("HYDRA_LAUNCHER_EXEC"));
        assertEquals("/opt/cadre/bin:" + LaunchPlanner.DEFAULT_PATH, env.get("PATH"), "srun and the rest found");
        assertFalse(env.containsKey("SLURM_CPUS_PER_TASK"), "only set when -c is given, as Slurm does");
    }

    @Test
    void theAgentGetsTheJobsExecVariablesButNoBrokerCredentials() {
        Map<String, String> env = env(JobSpec.builder(), FOUR, SETUP);
        assertEquals("/var/lib/cadre/exec.sock", env.get("CADRE_EXEC_SOCKET"));
        assertEquals("token", env.get("CADRE_EXEC_TOKEN"));
        assertEquals("7", env.get("CADRE_JOB_ID"));
        assertEquals("1", env.get("CADRE_ATTEMPT"));
        assertEquals("node1=id-node1,node2=id-node2,node3=id-node3,gpu07=id-gpu07", env.get("CADRE_EXEC_NODES"));
        assertFalse(env.keySet().stream().anyMatch(k -> k.contains("PASSWORD") || k.contains("BROKER")), "" + env);
        RemoteExecSetup noRelay = new RemoteExecSetup(Path.of("/h"), Path.of("/opt/cadre/bin/cadre-rsh"), null);
        assertFalse(env(JobSpec.builder(), FOUR, noRelay).containsKey("CADRE_EXEC_TOKEN"));
    }

    @Test
    void anAgentPathWithABlankIsFoundThroughPath() {
        // Open MPI splits plm_rsh_agent at blanks.
        RemoteExecSetup blank = new RemoteExecSetup(Path.of("/h"), Path.of("/Applications/My Cadre/cadre-rsh"),
                Path.of("/s"));
        Map<String, String> env = env(JobSpec.builder(), FOUR, blank);
        assertEquals("cadre-rsh", env.get("OMPI_MCA_plm_rsh_agent"));
        assertEquals("/Applications/My Cadre:" + LaunchPlanner.DEFAULT_PATH, env.get("PATH"));
        assertEquals("/Applications/My Cadre/cadre-rsh", env.get("HYDRA_LAUNCHER_EXEC"));
    }

    private static LaunchPlan mpiPlan(RemoteExecSetup setup) {
        JobSpec s = JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/tmp").kind(JobSpec.KIND_MPI).build();
        return LaunchPlanner.plan(new NodeCommand.PlaceJob(7, 1, s, FOUR, "token"), "cadre", setup);
    }

    @Test
    void anMpiJobsScriptIsEveryRankStartedByTheNodesLauncher() {
        var openMpi = new MpiLauncher(MpiLauncher.Flavor.OPEN_MPI, "/usr/bin/mpirun.openmpi", true);
        assertEquals(List.of("/usr/bin/mpirun.openmpi", "--allow-run-as-root", "--hostfile",
                "/var/lib/cadre/jobs/7.1/hostfile", "--mca", "plm", "rsh", "--mca", "plm_rsh_agent",
                "/opt/cadre/bin/cadre-rsh", "-np", "7"), mpiPlan(new RemoteExecSetup(SETUP.hostfile(),
                SETUP.rshAgent(), SETUP.relaySocket(), openMpi)).launcher());
        var mpich = new MpiLauncher(MpiLauncher.Flavor.MPICH, "/usr/bin/mpiexec.hydra", false);
        assertEquals(List.of("/usr/bin/mpiexec.hydra", "-launcher", "rsh", "-launcher-exec",
                "/opt/cadre/bin/cadre-rsh", "-hosts", "node1:2,node2:2,node3:2,gpu07:1", "-n", "7"),
                mpiPlan(new RemoteExecSetup(SETUP.hostfile(), SETUP.rshAgent(), SETUP.relaySocket(), mpich))
                        .launcher());
        JobSpec batch = JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/tmp").build();
        assertEquals(List.of(), LaunchPlanner.plan(new NodeCommand.PlaceJob(7, 1, batch, FOUR, "token"), "cadre",
                SETUP).launcher(), "a batch job's script runs directly");
    }

    @Test
    void anMpiJobOnANodeWithoutMpiOrRemoteExecFailsNamingWhatIsMissing() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> mpiPlan(SETUP)).getMessage()
                .contains("node node1 has none (looked for Open MPI's mpirun and MPICH's mpiexec.hydra)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> mpiPlan(null)).getMessage()
                .contains("an MPI job needs remote exec, which node node1 does not offer"));
    }

    @Test
    void withoutRemoteExecNoLauncherIsImposed() {
        Map<String, String> env = env(JobSpec.builder(), FOUR, null);
        assertFalse(env.containsKey("OMPI_MCA_plm_rsh_agent"));
        assertFalse(env.containsKey("CADRE_HOSTFILE"));
    }
}
