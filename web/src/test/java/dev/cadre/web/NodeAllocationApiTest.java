package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET /api/nodes' and GET /api/cluster's allocated cores against real Jetty and SQLite when a job resumed after a
 * suspend shares its cores with a job started on them meanwhile: each core is counted once, at most the node's (what
 * a usage bar fills and sinfo's CPUAlloc says), and what the jobs hold beyond that is oversubscribedCores.
 */
class NodeAllocationApiTest {

    /** A job of 2 cores and 512 MB on n1, running as the scheduler saves a placement. */
    private static JobRecord running(RunningWebServer server) {
        JobRecord job = server.admit(RunningWebServer.spec("two-cores", "alice"));
        JobRecord run = job.started(1, new Allocation(List.of(new Allocation.NodeSlots("n1", "host-n1", 2, 2, 0,
                512))), RunningWebServer.T);
        server.jobs.save(List.of(new JobChange(run, JobState.PENDING, RunningWebServer.T, new AttemptRecord(job.id(),
                1, "host-n1", RunningWebServer.T, null, null, null, null, null))));
        return run;
    }

    private static void change(RunningWebServer server, JobRecord from, JobRecord to) {
        server.jobs.save(List.of(new JobChange(to, from.state(), RunningWebServer.T, null)));
    }

    private static JsonNode allocated(RunningWebServer server) throws Exception {
        JsonNode nodes = MessageCodec.mapper().readTree(server.get("/api/nodes").body());
        assertEquals(1, nodes.size());
        return nodes.get(0).path("allocated");
    }

    private static long clusterCores(RunningWebServer server) throws Exception {
        return MessageCodec.mapper().readTree(server.get("/api/cluster").body()).path("cores").path("allocated")
                .asLong();
    }

    @Test
    void coresSharedAfterAResumeCountOnceAndTheRestIsOversubscribed() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            server.nodes.upsert(new NodeRecord("n1", "host-n1", List.of(), 2, 4096, 0, NodeRecord.NodeState.UP,
                    RunningWebServer.T, null));
            JobRecord first = running(server);
            JobRecord suspended = first.suspended(RunningWebServer.T);
            change(server, first, suspended);
            assertEquals(MessageCodec.mapper().readTree("{\"cores\":0,\"oversubscribedCores\":0,\"gpus\":0,"
                    + "\"memoryMb\":512,\"jobIds\":[" + first.id() + "]}"), allocated(server),
                    "a suspended job's memory, not its cores");

            JobRecord second = running(server);
            change(server, suspended, suspended.resumed(RunningWebServer.T));
            assertEquals(MessageCodec.mapper().readTree("{\"cores\":2,\"oversubscribedCores\":2,\"gpus\":0,"
                    + "\"memoryMb\":1024,\"jobIds\":[" + first.id() + "," + second.id() + "]}"), allocated(server),
                    "the node's 2 cores, each held by both jobs");
            assertEquals(2, clusterCores(server), "the cluster counts each core once too");

            change(server, second, second.withState(JobState.CANCELLED, null));
            assertEquals(2, allocated(server).path("cores").asInt());
            assertEquals(0, allocated(server).path("oversubscribedCores").asInt(), "shared no more");
        }
    }
}
