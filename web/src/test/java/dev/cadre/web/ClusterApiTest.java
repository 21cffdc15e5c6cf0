package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /api/cluster and its history against real Jetty and SQLite: the queue counts tasks, bad points are named. */
class ClusterApiTest {

    @Test
    void theQueueCountsEachTaskAnArrayHoldsAsAJob() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            JobRecord array = server.admit(RunningWebServer.spec("sweep", "alice").toBuilder().array("0-9").build());
            JobRecord one = server.admit(RunningWebServer.spec("one", "alice"));
            assertEquals(11, queueLength(server), "10 tasks and a job");
            assertEquals(2, cluster(server).path("jobs").path("PENDING").asLong(), "records by state");

            // Task 0 gets a record of its own; another array comes; the plain job ends.
            JobRecord rest = array.withArray(new ArrayPart(array.id(), null, array.array().pending().withoutFirst()));
            server.jobs.save(List.of(array.splitTask(server.jobs.history().highestId() + 1, 0)),
                    List.of(new JobChange(rest, JobState.PENDING, RunningWebServer.T, null)), List.of());
            server.admit(RunningWebServer.spec("more", "bob").toBuilder().array("1-5").build());
            server.jobs.save(List.of(new JobChange(one.withState(JobState.CANCELLED, null), JobState.PENDING,
                    RunningWebServer.T, null)));
            assertEquals(15, queueLength(server), "9 tasks in the first array, task 0 on its own, 5 in the second");

            server.jobs.save(List.of(new JobChange(rest.withState(JobState.CANCELLED, null), JobState.PENDING,
                    RunningWebServer.T, null)));
            assertEquals(6, queueLength(server), "a cancelled array's tasks wait no more");
        }
    }

    private static JsonNode cluster(RunningWebServer server) throws Exception {
        return MessageCodec.mapper().readTree(server.get("/api/cluster").body());
    }

    private static long queueLength(RunningWebServer server) throws Exception {
        return cluster(server).path("queueLength").asLong();
    }

    @Test
    void pointsOutsideTheirRangeAreRefusedWithTheRangeThatIsTaken() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            for (String points : new String[] {"0", "1", "1001"}) {
                HttpResponse<String> r = server.get("/api/cluster/history?points=" + points);
                assertEquals(400, r.statusCode());
                assertTrue(r.body().contains("'points' must be between 2 and 1000"), r.body());
            }
            assertEquals(200, server.get("/api/cluster/history?points=2").statusCode());
        }
    }
}
