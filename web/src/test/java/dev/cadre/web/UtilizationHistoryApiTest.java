package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.JobStore;
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
            server.nodes.upsert(new NodeRecord("n1", "host-n1", List.of(), 2, 4096, 0, NodeRecord.NodeState.UP,
                    now, null));
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

    /** A 2-core job on n1, submitted and started at the given times, stored as the scheduler stores a placement. */
    private static JobRecord started(RunningWebServer server, Instant submitted, Instant start) {
        JobRecord job = server.jobs.admit(List.of(new JobStore.NewJob(UUID.randomUUID().toString(),
                RunningWebServer.spec("two-cores", "alice"), submitted, "None"))).get(0).job();
        JobRecord run = job.started(1, new Allocation(List.of(new Allocation.NodeSlots("n1", "host-n1", 2, 2, 0, 0))),
                start);
        server.jobs.save(List.of(new JobChange(run, JobState.PENDING, start, new AttemptRecord(job.id(), 1, "host-n1",
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
