package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a job's stdout and stderr go. */
class LaunchPlannerOutputTest {
    private static final Allocation ONE = new Allocation(List.of(new Allocation.NodeSlots("a-1", "n1", 1, 1, 0, 0)));

    private static LaunchPlan plan(String stdout, String stderr) {
        JobSpec spec = JobSpec.builder().name("sim").user("alice").script("#!/bin/sh\n").workDir("/scratch/run")
                .stdout(stdout).stderr(stderr).build();
        return LaunchPlanner.plan(new NodeCommand.PlaceJob(42, 1, spec, ONE, "token", null), "hpc");
    }

    @Test
    void stderrNamingStdoutsFileGoesIntoStdoutSoTheTwoDoNotWriteOverEachOther() {
        for (LaunchPlan p : List.of(plan("out.txt", "out.txt"), plan("out-%j.txt", "/scratch/run/out-42.txt"),
                plan("logs/../out.txt", "./out.txt"), plan(null, "slurm-%j.out"))) {
            assertNull(p.stderr(), p.stdout() + " taken twice");
            assertEquals(p.stdout(), LaunchPlanner.outputPaths(p.place()).stdout());
            assertNull(LaunchPlanner.outputPaths(p.place()).stderr(), "the output record agrees");
        }
    }

    @Test
    void filesOfTheirOwnStayApart() {
        LaunchPlan p = plan("%x-%j.out", "%x-%j.err");
        assertEquals(Path.of("/scratch/run/sim-42.out"), p.stdout());
        assertEquals(Path.of("/scratch/run/sim-42.err"), p.stderr());
        assertNull(plan("out.txt", null).stderr());
    }
}
