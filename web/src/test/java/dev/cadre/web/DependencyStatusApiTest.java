package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pending job's views carry how far its dependency has come, judged from SQLite by the scheduler's rule, in
 * Slurm's form (scontrol's Dependency=, squeue's %E): fulfilled terms drop out, failed ones say so, a '?' list with
 * one fulfilled term reads (null); a page of many dependents reads the jobs they name in a few statements.
 */
class DependencyStatusApiTest {
    private static final Instant T = RunningWebServer.T;
    private final AtomicInteger statements = new AtomicInteger();
    private RunningWebServer server;
    private JobRecord done;
    private JobRecord failed;
    private JobRecord running;
    /** An array of tasks 1-4: task 1 ran and FAILED, task 2 ran and COMPLETED, 3-4 wait in its record. */
    private JobRecord array;

    @BeforeEach
    void store() throws Exception {
        server = new RunningWebServer(WebServer.Limits.DEFAULT, RunningWebServer.counting(statements));
        JobStore jobs = server.jobs;
        done = end(server.admit(RunningWebServer.spec("a", "alice")), JobState.COMPLETED);
        failed = end(server.admit(RunningWebServer.spec("a", "alice")), JobState.FAILED);
        running = start(server.admit(RunningWebServer.spec("a", "alice")));
        array = server.admit(RunningWebServer.spec("sweep", "alice").toBuilder().array("1-4").build());
        for (int task = 1; task <= 2; task++) {
            JobRecord split = array.splitTask(jobs.history().highestId() + 1, task);
            array = array.withArray(new ArrayPart(array.id(), null, array.array().pending().withoutFirst()));
            jobs.save(List.of(split), List.of(new JobChange(array, JobState.PENDING, T, null)), List.of());
            end(split, task == 1 ? JobState.FAILED : JobState.COMPLETED);
        }
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    private JobRecord start(JobRecord job) {
        JobRecord run = job.started(1, new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))),
                T);
        server.jobs.save(List.of(new JobChange(run, JobState.PENDING, T, new AttemptRecord(job.id(), 1, "host1", T,
                null, null, null, null, null))));
        return run;
    }

    private JobRecord end(JobRecord job, JobState how) {
        JobRecord run = start(job);
        JobRecord ended = run.ended(how, null, how == JobState.COMPLETED ? 0 : 1, null, T);
        server.jobs.save(List.of(new JobChange(ended, JobState.RUNNING, T, new AttemptRecord(job.id(), 1, "host1", T,
                T, how, ended.exitCode(), null, null))));
        return ended;
    }

    private JobRecord dependent(String dependency) {
        return server.admit(RunningWebServer.spec("d", "alice").toBuilder().dependency(dependency).build());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return MessageCodec.mapper().readTree(r.body());
    }

    private String text(long id) throws Exception {
        return get("/api/jobs/" + id).path("dependencyStatus").path("text").asText(null);
    }

    @Test
    void eachTermIsJudgedAndWhatIsLeftReadsAsSlurmShowsIt() throws Exception {
        long a = array.id();
        assertEquals("afterany:" + running.id() + "(unfulfilled)",
                text(dependent("afterok:" + done.id() + ",afterany:" + running.id()).id()));
        assertEquals("afterok:" + failed.id() + "(failed)", text(dependent("afterok:" + failed.id()).id()));
        assertEquals("afterok:" + a + "_*(failed),afterok:" + a + "_3(unfulfilled)",
                text(dependent("afterok:" + a + ",afternotok:" + a + "_1,afterok:" + a + "_3").id()),
                "a whole array is N_*; its failed task fails afterok on it; a task still in the array's record waits");
        assertEquals("afterok:" + a + "_1(failed)?afternotok:" + a + "_2(failed)",
                text(dependent("afterok:" + a + "_1?afternotok:" + a + "_2").id()));
        assertEquals("(null)", text(dependent("afterok:" + failed.id() + "?afterany:" + done.id()).id()),
                "one fulfilled term of a '?' list clears it");
        JobRecord justStarted = server.admit(RunningWebServer.spec("a", "alice")).started(1, null, Instant.now());
        server.jobs.save(List.of(new JobChange(justStarted, JobState.PENDING, T, null)));
        assertEquals("afterok:" + failed.id() + "(failed)?after:" + justStarted.id() + "+60(unfulfilled)",
                text(dependent("afterok:" + failed.id() + "?after:" + justStarted.id() + "+60").id()),
                "started, but not an hour ago");
        assertEquals("(null)", text(dependent("after:" + running.id()).id()));
        assertEquals("afterok:999999(failed)", text(dependent("afterok:999999").id()),
                "a job no longer stored (pruned) can never complete");
        assertEquals("aftercorr:" + a + "_*(unfulfilled)", text(server.admit(RunningWebServer.spec("d", "alice")
                .toBuilder().array("1-4").dependency("aftercorr:" + a).build()).id()),
                "an array's unstarted tasks: the partners of some may still complete");
    }

    @Test
    void singletonWaitsOnAnOlderJobOfTheSameUserAndName() throws Exception {
        server.admit(RunningWebServer.spec("solo", "alice"));
        JobRecord second = server.admit(RunningWebServer.spec("solo", "alice").toBuilder().dependency("singleton")
                .build());
        JobRecord bobs = server.admit(RunningWebServer.spec("solo", "bob").toBuilder().dependency("singleton")
                .build());
        assertEquals("singleton(unfulfilled)", text(second.id()));
        assertEquals("(null)", text(bobs.id()), "another user's job of that name is not in the way");
        JsonNode terms = get("/api/jobs/" + bobs.id()).path("dependencyStatus").path("terms");
        assertEquals("[{\"term\":\"singleton\",\"state\":\"FULFILLED\"}]", terms.toString());
    }

    @Test
    void onlyAPendingJobHasOne() throws Exception {
        JobRecord started = start(dependent("afterok:" + running.id()));
        JsonNode view = get("/api/jobs/" + started.id());
        assertEquals("afterok:" + running.id(), view.path("dependency").asText(), "the spec's text stays");
        assertFalse(view.has("dependencyStatus"), view.toString());
        assertFalse(get("/api/jobs/" + done.id()).has("dependencyStatus"));
    }

    @Test
    void aPageOfManyDependentsReadsTheJobsTheyNameInAFewStatements() throws Exception {
        Map<Long, String> expected = new HashMap<>();
        Map<Long, Integer> conditions = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            JobRecord d = dependent("afterok:" + done.id() + ":" + array.id() + "_" + (3 + i % 2) + ",afterany:"
                    + running.id() + ",afternotok:" + failed.id() + (i % 3 == 0 ? ",singleton" : ""));
            conditions.put(d.id(), i % 3 == 0 ? 5 : 4);
            // The first of the jobs named d is the oldest: its singleton holds.
            expected.put(d.id(), "afterok:" + array.id() + "_" + (3 + i % 2) + "(unfulfilled),afterany:"
                    + running.id() + "(unfulfilled)" + (i % 3 == 0 && i > 0 ? ",singleton(unfulfilled)" : ""));
        }
        statements.set(0);
        JsonNode page = get("/api/jobs?state=PD&limit=500");
        int read = statements.get();
        int seen = 0;
        for (JsonNode j : page) {
            String want = expected.get(j.path("id").asLong());
            if (want != null) {
                assertEquals(want, j.path("dependencyStatus").path("text").asText(), j.toString());
                assertEquals(conditions.get(j.path("id").asLong()), j.path("dependencyStatus").path("terms").size(),
                        "fulfilled terms stay in the structure");
                seen++;
            }
        }
        assertEquals(300, seen);
        assertTrue(read <= 12, read + " statements for a page of 300 dependents");
    }
}
