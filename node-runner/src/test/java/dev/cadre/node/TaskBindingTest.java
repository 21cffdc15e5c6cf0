package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.node.core.NodeTopology;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A step's task's share of its job's CPUs, laid out over the sockets the node read at its start. */
class TaskBindingTest {
    private static final NodeCommand.PlaceJob PLACE = new NodeCommand.PlaceJob(7, 1, JobSpec.builder().name("step")
            .user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").build(),
            new Allocation(List.of(new Allocation.NodeSlots("n1", "alpha", 1, 4, 0, 0))), "7".repeat(64));

    private static TaskBinding second(NodeTopology topology) {
        ExecMessage.StepTask task = new ExecMessage.StepTask(1, 2, 1, 1, "cyclic", "cores", null);
        return TaskBinding.of(new ExecMessage.ExecRequest("r", 7, 1, "7".repeat(64), "true", null, task), PLACE, "n1",
                new TreeSet<>(List.of(0, 1, 2, 3)), List.of(), topology);
    }

    @Test
    void cyclicDealsTheTasksToTheSocketsTheNodeRead() {
        NodeTopology twoSockets = new NodeTopology(Map.of(0, 0, 1, 0, 2, 1, 3, 1), 8);
        assertEquals(new TreeSet<>(List.of(2)), second(twoSockets).cpus(), "the second task on the second socket");
        assertEquals("quiet,mask_cpu:0x01,0x04", second(twoSockets).environment().get("SLURM_CPU_BIND"),
                "masks as wide as the node's eight CPUs");
        assertEquals(new TreeSet<>(List.of(1)), second(NodeTopology.UNKNOWN).cpus(), "one socket: the next CPU");
    }
}
