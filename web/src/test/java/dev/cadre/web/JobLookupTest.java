package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * squeue -j and sacct -j (GET /api/jobs?id=...) on an array of 40 tasks, 30 of them split off into records of
 * their own (10 COMPLETED, 10 RUNNING, 10 PENDING) among other users' jobs and other jobs of the same user, in
 * SQLite: every part is found once, counted on every page, and each page reads only as far as it needs.
 */
class JobLookupTest {
    private static final Instant T = RunningWebServer.T;
    /** How many jobs a scan reads at once here: small, so that reading too far shows in the statements run. */
    private static final int SCAN_PAGE = 5;
    private final AtomicInteger statements = new AtomicInteger();
    private RunningWebServer server;
    private JobLookup lookup;
    private JobRecord array;
    private final List<JobRecord> tasks = new ArrayList<>();

    @BeforeEach
    void store() throws Exception {
        server = new RunningWebServer(WebServer.Limits.DEFAULT, RunningWebServer.counting(statements));
        lookup = new JobLookup(server.jobs, SCAN_PAGE);
        JobStore jobs = server.jobs;
        array = server.admit(RunningWebServer.spec("sweep", "alice").toBuilder().array("0-39").build());
        JobRecord rest = array;
        for (int task = 0; task < 30; task++) {
            server.admit(RunningWebServer.spec("other", "bob"));
            server.admit(RunningWebServer.spec("other", "alice"));
            JobRecord split = rest.splitTask(jobs.history().highestId() + 1, task);
            rest = rest.withArray(new ArrayPart(array.id(), null, rest.array().pending().withoutFirst()));
            jobs.save(List.of(split), List.of(new JobChange(rest, JobState.PENDING, T, null)), List.of());
            tasks.add(task < 20 ? start(jobs, split, task < 10) : split);
        }
        array = rest;
        statements.set(0);
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    private static JobRecord start(JobStore jobs, JobRecord task, boolean end) {
        JobRecord run = task.started(1, new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))),
                T);
        jobs.save(List.of(new JobChange(run, JobState.PENDING, T, new AttemptRecord(task.id(), 1, "host1", T, null,
                null, null, null, null))));
        if (!end) {
            return run;
        }
        JobRecord done = run.ended(JobState.COMPLETED, null, 0, null, T);
        jobs.save(List.of(new JobChange(done, JobState.RUNNING, T, new AttemptRecord(task.id(), 1, "host1", T, T,
                JobState.COMPLETED, 0, null, null))));
        return done;
    }

    @Test
    void pagesOfAnArrayCountEveryPartAndReadOnlyAsFarAsEachPageNeeds() {
        List<Long> listed = new ArrayList<>();
        Long after = null;
        while (true) {
            statements.set(0);
            JobLookup.Page page = lookup.records(List.of(new JobReference(array.id(), null)),
                    new JobQuery(Set.of(), null, null, Set.of(), after, 7));
            assertEquals(31, page.total(), "the array's record and the 30 tasks split off it, on every page");
            assertTrue(statements.get() <= 6, "a page of 7 reads about 7 of the user's jobs per task, not all that"
                    + " follow: " + statements.get() + " statements");
            page.jobs().forEach(j -> listed.add(j.id()));
            if (page.jobs().size() < 7) {
                break;
            }
            after = page.jobs().get(6).id();
        }
        List<Long> expected = new ArrayList<>(List.of(array.id()));
        tasks.forEach(t -> expected.add(t.id()));
        assertEquals(expected, listed);
    }

    @Test
    void aTaskIsFoundWhereverItsRecordIs() {
        assertEquals(array.id(), lookup.find(new JobReference(array.id(), 35)).orElseThrow().id(), "not started");
        for (int task : new int[] {3, 15, 25}) {
            statements.set(0);
            assertEquals(tasks.get(task).id(), lookup.find(new JobReference(array.id(), task)).orElseThrow().id());
            assertTrue(statements.get() <= 12, "task " + task + ": " + statements.get() + " statements");
        }
        assertTrue(lookup.find(new JobReference(array.id(), 40)).isEmpty(), "not one of the array's tasks");
    }

    @Test
    void filtersCountOnlyThePartsThatPass() {
        assertEquals(10, count(Set.of(JobState.COMPLETED), null), "counted by the store");
        assertEquals(10, count(Set.of(JobState.RUNNING), null));
        assertEquals(11, count(Set.of(JobState.PENDING), null), "the array's record and 10 tasks");
        assertEquals(21, count(Set.of(JobState.PENDING, JobState.COMPLETED), null));
        assertEquals(0, count(Set.of(), "bob"));
        JobLookup.Page running = lookup.records(List.of(new JobReference(array.id(), null)),
                new JobQuery(Set.of(JobState.RUNNING), null, null, Set.of(), null, 100));
        assertEquals(tasks.subList(10, 20).stream().map(JobRecord::id).toList(),
                running.jobs().stream().map(JobRecord::id).toList());
    }

    @Test
    void aPartNamedTwiceIsListedAndCountedOnce() {
        JobLookup.Page page = lookup.records(List.of(new JobReference(array.id(), null),
                new JobReference(array.id(), 3), new JobReference(array.id(), 3),
                new JobReference(tasks.get(15).id(), null)), new JobQuery(Set.of(), null, null, Set.of(), null, 100));
        assertEquals(31, page.total());
        assertEquals(31, page.jobs().size());
        assertEquals(2, lookup.records(List.of(new JobReference(array.id(), 3), new JobReference(array.id(), 15)),
                new JobQuery(Set.of(), null, null, Set.of(), null, 100)).total());
    }

    @Test
    void theApiSaysTheTotalAndLinksEachNextPage() throws Exception {
        String next = "/api/jobs?id=" + array.id() + "&limit=7";
        List<Long> listed = new ArrayList<>();
        while (next != null) {
            HttpResponse<String> r = server.get(next);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("31", r.headers().firstValue("X-Total-Count").orElse(null));
            MessageCodec.mapper().readTree(r.body()).forEach(j -> listed.add(j.path("id").asLong()));
            next = r.headers().firstValue("Link").map(JobLookupTest::nextPage).orElse(null);
            assertFalse(listed.size() > 31, "the links go round: " + listed);
        }
        assertEquals(31, listed.size());
        assertEquals(listed.stream().sorted().distinct().toList(), listed, "in order of id, each once");
        HttpResponse<String> last = server.get("/api/jobs?id=" + array.id() + "&limit=100");
        assertNull(last.headers().firstValue("Link").orElse(null), "a page that is not full is the last");
    }

    @Test
    void detailGivesEachPartAsItsOwnAnswerDoes() throws Exception {
        statements.set(0);
        HttpResponse<String> r = server.get("/api/jobs?id=" + array.id() + "&detail=true");
        assertEquals(200, r.statusCode(), r.body());
        int read = statements.get();
        assertTrue(read <= 8, "the attempts of the page's 31 records read together, not one read each (scontrol show"
                + " job pages through every job so): " + read + " statements");
        assertEquals("31", r.headers().firstValue("X-Total-Count").orElse(null));
        JsonNode page = MessageCodec.mapper().readTree(r.body());
        assertEquals(31, page.size());
        for (JsonNode listed : page) {
            assertTrue(listed.path("spec").isObject(), "with its spec: " + listed);
            assertEquals(MessageCodec.mapper().readTree(server.get("/api/jobs/" + listed.path("id").asLong()).body()),
                    listed, "as GET /api/jobs/ID answers");
        }
        assertEquals("host1", page.get(1).path("nodeList").asText(), "an ended task's nodes, from its attempts");
        assertEquals(400, server.get("/api/jobs?id=" + array.id() + "&detail=true&limit=1000").statusCode());
        assertFalse(MessageCodec.mapper().readTree(server.get("/api/jobs?id=" + array.id()).body()).get(1)
                .has("spec"), "a plain list leaves the spec out");
    }

    @Test
    void aDetailPageAskedWithoutEnvironmentsKeepsOnlyTheScriptsPath() throws Exception {
        Map<String, String> environment = Map.of("HOME", "/home/carol", "PATH", "/usr/bin",
                JobSpec.SCRIPT_PATH_VARIABLE, "/home/carol/run.sh");
        JobRecord job = server.admit(RunningWebServer.spec("env", "carol").toBuilder().environment(environment)
                .build());
        String page = "/api/jobs?user=carol&detail=true";
        JsonNode whole = MessageCodec.mapper().readTree(server.get(page).body()).get(0);
        assertEquals(MessageCodec.mapper().valueToTree(environment), whole.path("spec").path("environment"),
                "the environment by default, as before");
        HttpResponse<String> r = server.get(page + "&environment=false");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode without = MessageCodec.mapper().readTree(r.body()).get(0);
        assertEquals(job.id(), without.path("id").asLong());
        assertEquals(MessageCodec.mapper().valueToTree(Map.of(JobSpec.SCRIPT_PATH_VARIABLE, "/home/carol/run.sh")),
                without.path("spec").path("environment"), "scontrol's Command= stays");
        ((ObjectNode) whole.path("spec")).remove("environment");
        ((ObjectNode) without.path("spec")).remove("environment");
        assertEquals(whole, without, "nothing else is left out");
        assertEquals(400, server.get("/api/jobs?user=carol&environment=false").statusCode());
    }

    @Test
    void aPartOfTheArrayIsFoundCountedAndListedOnce() {
        // scontrol hold 12_[30-36]: the tasks leave the array's record together, into one held row.
        JobRecord part = array.splitPart(server.jobs.history().highestId() + 1, ArrayIndexes.parse("30-36"));
        JobRecord held = part.withSpec(part.spec().toBuilder().hold(JobSpec.HOLD_USER).build())
                .withState(JobState.PENDING, "JobHeldUser");
        JobRecord kept = array.withArray(new ArrayPart(array.id(), null, ArrayIndexes.parse("37-39")));
        server.jobs.save(List.of(part), List.of(new JobChange(kept, JobState.PENDING, T, null),
                new JobChange(held, JobState.PENDING, T, null)), List.of(held));

        JobRecord found = lookup.find(new JobReference(array.id(), 33)).orElseThrow();
        assertEquals(part.id(), found.id());
        assertEquals(array.id() + "_[30-36]", found.displayId());
        assertEquals(JobSpec.HOLD_USER, found.spec().hold());
        assertEquals(kept.id(), lookup.find(new JobReference(array.id(), 38)).orElseThrow().id());
        statements.set(0);
        JobLookup.Page page = lookup.records(List.of(new JobReference(array.id(), null)),
                new JobQuery(Set.of(), null, null, Set.of(), null, 100));
        assertEquals(32, page.total(), "the array's record, 30 tasks and the part");
        assertEquals(32, page.jobs().size());
        assertEquals(part.id(), page.jobs().get(31).id());
        assertEquals(12, count(Set.of(JobState.PENDING), null));
    }

    private long count(Set<JobState> states, String user) {
        return lookup.records(List.of(new JobReference(array.id(), null)),
                new JobQuery(states, user, null, Set.of(), null, 1)).total();
    }

    private static String nextPage(String link) {
        Matcher m = Pattern.compile("<([^>]+)>; rel=\"next\"").matcher(link);
        assertTrue(m.matches(), link);
        return m.group(1);
    }
}
