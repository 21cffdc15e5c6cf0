package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeHistory;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /api/cluster/history against real Jetty and SQLite, the jobs' changes stored as the scheduler stores them: a
 * job suspended with scontrol suspend holds no cores while suspended, a job started on them meanwhile holds them,
 * and once the first is resumed the node's 2 cores count once with 2 oversubscribed, never 4 of 2.
 */
class UtilizationHistoryApiTest {

    @Test
    void theChartCountsASuspendedJobsCoresAsFreeAndSharedCoresOnce() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            // The server reads the system clock; the jobs' times are minutes back from now.
            Instant now = Instant.now();
            node(server, "n1", 2, NodeRecord.NodeState.UP, now);
            JobRecord first = started(server, now.minusSeconds(60 * 55), now.minusSeconds(60 * 50));
            JobRecord suspended = change(server, first, first.suspended(now.minusSeconds(60 * 40)));
            JobRecord second = started(server, now.minusSeconds(60 * 35), now.minusSeconds(60 * 30));
            change(server, suspended, suspended.resumed(now.minusSeconds(60 * 20)));
            change(server, second, second.ended(JobState.COMPLETED, null, 0, 0, now.minusSeconds(60 * 10)));

            JsonNode body = MessageCodec.mapper().readTree(server.get("/api/cluster/history?minutes=60&points=13")
                    .body());
            assertEquals(2, body.path("coresTotal").asLong());
            List<Long> cores = new ArrayList<>();
            List<Long> oversubscribed = new ArrayList<>();
            List<Long> running = new ArrayList<>();
            // Points every 5 minutes from 60 minutes ago; the last is the request's now, a little after.
            for (JsonNode p : body.path("points")) {
                cores.add(p.path("coresAllocated").asLong());
                oversubscribed.add(p.path("oversubscribedCores").asLong());
                running.add(p.path("running").asLong());
            }
            assertEquals(List.of(0L, 0L, 2L, 2L, 0L, 0L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), cores,
                    "free while suspended, then the second job's; after the resume the node's 2 cores, once");
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 2L, 2L, 0L, 0L, 0L), oversubscribed,
                    "both jobs on the 2 cores from the resume until the second ends");
            assertEquals(List.of(0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L, 2L, 2L, 1L, 1L, 1L), running,
                    "a suspended job is not running");
        }
    }

    /**
     * n2's 4 cores were UP until it went down 30 minutes ago with its 4-core job, and it is DOWN now; n1's 2 are UP
     * throughout. Each point's coresTotal is what was UP then, from the nodes' history, so the job's 4 cores never pass
     * it; taking the nodes UP now, it would be 2 at every point, under the 4 allocated before n2 went down.
     */
    @Test
    void eachPointsTotalIsTheCoresOfTheNodesUpThen() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Instant now = Instant.now();
            node(server, "n1", 2, NodeRecord.NodeState.UP, now);
            node(server, "n2", 4, NodeRecord.NodeState.DOWN, now.minusSeconds(60 * 30));
            Instant before = now.minusSeconds(7200);
            server.nodes.history().record(List.of(
                    new NodeHistory.Event("n1", "host-n1", before, NodeHistory.Status.UP, 2, null, null),
                    new NodeHistory.Event("n2", "host-n2", before, NodeHistory.Status.UP, 4, null, null),
                    new NodeHistory.Event("n2", "host-n2", now.minusSeconds(60 * 30), NodeHistory.Status.DOWN, 4,
                            "Not responding", null)));
            JobRecord job = started(server, "n2", 4, now.minusSeconds(60 * 55), now.minusSeconds(60 * 50));
            change(server, job, job.ended(JobState.NODE_FAIL, null, 0, 0, now.minusSeconds(60 * 30)));

            JsonNode body = MessageCodec.mapper().readTree(server.get("/api/cluster/history?minutes=60&points=13")
                    .body());
            assertEquals(2, body.path("coresTotal").asLong(), "the nodes UP now");
            List<Long> total = new ArrayList<>();
            List<Long> cores = new ArrayList<>();
            for (JsonNode p : body.path("points")) {
                total.add(p.path("coresTotal").asLong());
                cores.add(p.path("coresAllocated").asLong());
            }
            assertEquals(List.of(6L, 6L, 6L, 6L, 6L, 6L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), total);
            assertEquals(List.of(0L, 0L, 4L, 4L, 4L, 4L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), cores);
        }
    }

    /** Stores the node (host name host-ID) as the scheduler last heard of it at {@code seen}. */
    private static void node(RunningWebServer server, String id, int cores, NodeRecord.NodeState state, Instant seen) {
        server.nodes.upsert(new NodeRecord(id, "host-" + id, List.of(), cores, 4096, 0, state, seen,
                state == NodeRecord.NodeState.UP ? null : "Not responding"));
    }

    /** A 2-core job on n1, submitted and started at the given times, stored as the scheduler stores a placement. */
    private static JobRecord started(RunningWebServer server, Instant submitted, Instant start) {
        return started(server, "n1", 2, submitted, start);
    }

    private static JobRecord started(RunningWebServer server, String node, int cores, Instant submitted,
            Instant start) {
        JobRecord job = server.jobs.admit(List.of(new JobStore.NewJob(UUID.randomUUID().toString(),
                RunningWebServer.spec("cores", "alice"), submitted, "None"))).get(0).job();
        String host = "host-" + node;
        JobRecord run = job.started(1, new Allocation(List.of(new Allocation.NodeSlots(node, host, 2, cores, 0, 0))),
                start);
        server.jobs.save(List.of(new JobChange(run, JobState.PENDING, start, new AttemptRecord(job.id(), 1, host,
                start, null, null, null, null, null))));
        return run;
    }

    /** Stores the change at the time the new record was changed, as the scheduler does. */
    private static JobRecord change(RunningWebServer server, JobRecord from, JobRecord to) {
        Instant at = to.endTime() != null ? to.endTime() : to.suspendTime();
        server.jobs.save(List.of(new JobChange(to, from.state(), at, null)));
        return to;
    }
}
