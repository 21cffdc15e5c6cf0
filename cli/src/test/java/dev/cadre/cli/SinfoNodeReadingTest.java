package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.slurm.ScontrolNodeFormat;
import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.wire.Json;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node of the REST API read as sinfo and scontrol show node show it. */
class SinfoNodeReadingTest {
    private static SinfoNode read(int cores, int allocated, int oversubscribed, long memoryMb) {
        return SlurmCommands.sinfoNode(Json.parse("{\"id\":\"n1\",\"hostname\":\"h1\",\"cores\":" + cores
                + ",\"memoryMb\":4000,\"gpus\":0,\"state\":\"UP\",\"reason\":null,\"allocated\":{\"cores\":"
                + allocated + ",\"oversubscribedCores\":" + oversubscribed + ",\"gpus\":0,\"memoryMb\":" + memoryMb
                + ",\"jobIds\":[7,8]}}"));
    }

    @Test
    void coresHeldTwiceOverByAResumedJobAndTheJobsStartedOnThemCountOnceAsSlurmsCpuAllocDoes() {
        SinfoNode shared = read(2, 2, 2, 0);
        assertEquals(2, shared.allocCpus(), "the REST API's cores, each counted once; the oversubscribed ones not");
        assertEquals(SinfoNode.State.ALLOCATED, shared.state());
        assertEquals(1, read(2, 1, 0, 0).allocCpus());
        assertEquals(SinfoNode.State.IDLE, read(2, 0, 0, 0).state(), "a node whose only job is suspended");
    }

    @Test
    void theMemoryOfTheJobsOnTheNodeIsScontrolsAllocMemASuspendedJobsToo() {
        SinfoNode suspended = read(2, 0, 0, 1536);
        assertEquals(1536, suspended.allocMemoryMb());
        String shown = ScontrolNodeFormat.render(suspended, null, List.of(7L, 8L), ZoneOffset.UTC);
        assertEquals("   RealMemory=4000 AllocMem=1536 FreeMem=N/A Sockets=2 Boards=1",
                shown.lines().filter(l -> l.contains("RealMemory=")).findFirst().orElseThrow());
    }

    /** A suspended job's memory and GPUs, as the REST API's allocated gives them, are in AllocTRES; no cpu=. */
    @Test
    void theGpusAndMemoryOfTheJobsOnTheNodeAreInScontrolsAllocTres() {
        SinfoNode node = SlurmCommands.sinfoNode(Json.parse("{\"id\":\"n1\",\"hostname\":\"h1\",\"cores\":2,"
                + "\"memoryMb\":4096,\"gpus\":2,\"state\":\"UP\",\"reason\":null,\"allocated\":{\"cores\":0,"
                + "\"oversubscribedCores\":0,\"gpus\":1,\"memoryMb\":2048,\"jobIds\":[7]}}"));
        assertEquals(1, node.allocGpus());
        String shown = ScontrolNodeFormat.render(node, null, List.of(7L), ZoneOffset.UTC);
        assertEquals(List.of("   CfgTRES=cpu=2,mem=4G,billing=2,gres/gpu=2", "   AllocTRES=mem=2G,gres/gpu=1"),
                shown.lines().filter(l -> l.contains("TRES=")).toList());
    }
}
