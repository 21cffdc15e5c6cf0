package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A job submitted without the submitter's environment (--export=NONE or a list of names) gets its user's login
 * variables, as Slurm loads them then; and --mem-per-cpu reaches the job as SLURM_MEM_PER_CPU alone.
 */
class LaunchPlannerExportTest {
    private static final Allocation ONE = new Allocation(List.of(new Allocation.NodeSlots("a-1", "n1", 1, 3, 0,
            300)));
    private static final LoginAccount.Lookup ALICE = user -> user.equals("alice")
            ? Optional.of(new LoginAccount("alice", "/home/alice", "/bin/zsh")) : Optional.empty();

    private static Map<String, String> env(Map<String, String> specEnv, Long memoryMb) {
        JobSpec s = JobSpec.builder().user("alice").script("#!/bin/sh\n").workDir("/scratch").environment(specEnv)
                .memoryMb(memoryMb).build();
        return LaunchPlanner.plan(new NodeCommand.PlaceJob(7, 1, s, ONE, "token", null), "hpc", null, ALICE)
                .environment();
    }

    @Test
    void exportNoneAndNameListsGetTheUsersLoginVariables() {
        for (String export : List.of("NONE", "none", "FOO=1", "FOO,BAR")) {
            Map<String, String> env = env(Map.of("SLURM_EXPORT_ENV", export), null);
            assertEquals("/home/alice", env.get("HOME"), export);
            assertEquals("alice", env.get("USER"), export);
            assertEquals("alice", env.get("LOGNAME"), export);
            assertEquals("/bin/zsh", env.get("SHELL"), export);
        }
        assertEquals("/mine", env(Map.of("SLURM_EXPORT_ENV", "HOME=/mine", "HOME", "/mine"), null).get("HOME"),
                "a variable the job was given is kept");
    }

    @Test
    void aJobWithTheWholeEnvironmentKeepsItAsItIs() {
        assertNull(env(Map.of(), null).get("HOME"));
        assertNull(env(Map.of("SLURM_EXPORT_ENV", "ALL,FOO=1"), null).get("SHELL"));
    }

    @Test
    void passwdLinesAreReadByName() {
        List<String> lines = List.of("root:x:0:0:root:/root:/bin/bash", "alice:x:1000:1000:Alice,,,:/home/a:");
        assertEquals(Optional.of(new LoginAccount("alice", "/home/a", "")), LoginAccount.fromPasswd("alice", lines));
        assertEquals("/bin/sh", LoginAccount.fromPasswd("alice", lines).orElseThrow().variables().get("SHELL"));
        assertEquals(Optional.empty(), LoginAccount.fromPasswd("bob", lines));
    }

    @Test
    void memPerCpuIsToldAsSuchAndNotAsAPerNodeFigure() {
        Map<String, String> perCpu = env(Map.of("SLURM_MEM_PER_CPU", "100"), 300L);
        assertEquals("100", perCpu.get("SLURM_MEM_PER_CPU"));
        assertFalse(perCpu.containsKey("SLURM_MEM_PER_NODE"));
        assertEquals("300", env(Map.of(), 300L).get("SLURM_MEM_PER_NODE"));
    }
}
