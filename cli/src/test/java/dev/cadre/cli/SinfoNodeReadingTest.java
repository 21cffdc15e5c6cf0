package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.wire.Json;
import org.junit.jupiter.api.Test;

/** A node of the REST API read as sinfo and scontrol show node show it. */
class SinfoNodeReadingTest {
    private static SinfoNode read(int cores, int allocated) {
        return SlurmCommands.sinfoNode(Json.parse("{\"id\":\"n1\",\"hostname\":\"h1\",\"cores\":" + cores
                + ",\"memoryMb\":1000,\"gpus\":0,\"state\":\"UP\",\"reason\":null,\"allocated\":{\"cores\":"
                + allocated + ",\"gpus\":0,\"memoryMb\":0,\"jobIds\":[7,8]}}"));
    }

    @Test
    void coresHeldTwiceOverByAResumedJobAndTheJobsStartedOnThemCountOnceAsSlurmsCpuAllocDoes() {
        SinfoNode shared = read(2, 4);
        assertEquals(2, shared.allocCpus());
        assertEquals(SinfoNode.State.ALLOCATED, shared.state());
        assertEquals(1, read(2, 1).allocCpus());
        assertEquals(SinfoNode.State.IDLE, read(2, 0).state(), "a node whose only job is suspended");
    }
}
