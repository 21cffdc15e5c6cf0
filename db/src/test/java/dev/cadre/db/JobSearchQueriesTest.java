package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real SQLite file: alice's job ran on node1 and completed, bob's runs on node2, carol's waits. */
class JobSearchQueriesTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;
    private JobStore store;
    private long alice;
    private long bob;
    private long carol;

    @BeforeEach
    void fill() {
        store = new JobStore(Database.open(dir.resolve("cadre.db")));
        List<JobStore.Admission> a = store.admit(List.of(JobStoreTest.job("a", "alice"), JobStoreTest.job("b", "bob"),
                JobStoreTest.job("c", "carol_1")));
        alice = a.get(0).job().id();
        bob = a.get(1).job().id();
        carol = a.get(2).job().id();
        JobRecord aliceRunning = start(a.get(0).job(), "n1", "node1", 2, T.plusSeconds(10));
        JobRecord bobRunning = start(a.get(1).job(), "n2", "node2", 3, T.plusSeconds(20));
        JobRecord aliceDone = aliceRunning.ended(JobState.COMPLETED, null, 0, 0, T.plusSeconds(70));
        store.save(List.of(new JobChange(aliceDone, JobState.RUNNING, T.plusSeconds(70), new AttemptRecord(alice, 1,
                "node1", T.plusSeconds(10), T.plusSeconds(70), JobState.COMPLETED, 0, 0, null))));
        assertEquals(JobState.RUNNING, bobRunning.state());
    }

    private JobRecord start(JobRecord j, String nodeId, String host, int cpus, Instant at) {
        JobRecord running = j.started(1, new Allocation(List.of(new Allocation.NodeSlots(nodeId, host, 1, cpus, 0, 0))),
                at);
        store.save(List.of(new JobChange(running, JobState.PENDING, at, new AttemptRecord(j.id(), 1, host, at, null,
                null, null, null, null))));
        return running;
    }

    private List<Long> ids(JobSearch s) {
        return store.search().list(s).stream().map(JobRecord::id).toList();
    }

    private static JobSearch search(Set<JobState> states, String text, String node, boolean newestFirst,
            Long cursor, int limit) {
        return new JobSearch(states, null, null, text, node, null, null, null, newestFirst, cursor, limit);
    }

    @Test
    void filtersByStateTextAndNode() {
        assertEquals(List.of(alice, bob, carol), ids(search(Set.of(), null, null, false, null, 10)));
        assertEquals(List.of(bob), ids(search(Set.of(JobState.RUNNING), null, null, false, null, 10)));
        assertEquals(List.of(alice), ids(search(Set.of(), "ALI", null, false, null, 10)), "part of the user");
        assertEquals(List.of(carol), ids(search(Set.of(), "_1", null, false, null, 10)), "'_' is no wildcard");
        assertEquals(List.of(bob), ids(search(Set.of(), Long.toString(bob), null, false, null, 10)), "the id");
        assertEquals(List.of(alice), ids(search(Set.of(), null, "node1", false, null, 10)));
        assertEquals(List.of(), ids(search(Set.of(), null, "node", false, null, 10)), "whole host names only");
    }

    @Test
    void pagesNewestFirstWithACursorAndCountsWithoutIt() {
        JobSearch first = search(Set.of(), null, null, true, null, 2);
        assertEquals(List.of(carol, bob), ids(first));
        JobSearch next = search(Set.of(), null, null, true, bob, 2);
        assertEquals(List.of(alice), ids(next));
        assertEquals(3, store.search().count(next));
    }

    @Test
    void filtersByTimeRanges() {
        var started = new JobSearch.Between(T.plusSeconds(15), null);
        assertEquals(List.of(bob), ids(new JobSearch(Set.of(), null, null, null, null, null, started, null, false,
                null, 10)));
        var ended = new JobSearch.Between(T, T.plusSeconds(70));
        assertEquals(List.of(alice), ids(new JobSearch(Set.of(), null, null, null, null, null, null, ended, false,
                null, 10)));
        var submitted = new JobSearch.Between(null, T.minusSeconds(1));
        assertEquals(0, store.search().count(new JobSearch(Set.of(), null, null, null, null, submitted, null, null,
                false, null, 10)));
    }

    @Test
    void countsByStateAndGivesSpansWithTheirCores() {
        assertEquals(Map.of(JobState.COMPLETED, 1L, JobState.RUNNING, 1L, JobState.PENDING, 1L),
                store.search().countByState());
        List<JobSearchQueries.Span> spans = store.search().spans(T.plusSeconds(80), T.plusSeconds(90));
        assertEquals(2, spans.size(), "alice's job ended before the window");
        assertEquals(Set.of(3, 0), Set.copyOf(spans.stream().map(JobSearchQueries.Span::cpus).toList()));
    }

    @Test
    void spansGiveTheCoresByNodeAndTheSuspensionsOfTheCurrentAttempt() {
        JobRecord bobRunning = store.find(bob).orElseThrow();
        JobRecord suspended = bobRunning.suspended(T.plusSeconds(30));
        JobRecord resumed = suspended.resumed(T.plusSeconds(40));
        JobRecord again = resumed.suspended(T.plusSeconds(50));
        store.save(List.of(new JobChange(suspended, JobState.RUNNING, T.plusSeconds(30), null)));
        store.save(List.of(new JobChange(resumed, JobState.SUSPENDED, T.plusSeconds(40), null)));
        store.save(List.of(new JobChange(again, JobState.RUNNING, T.plusSeconds(50), null)));
        JobSearchQueries.Span bobs = store.search().spans(T.plusSeconds(80), T.plusSeconds(90)).stream()
                .filter(s -> s.cpus() == 3).findFirst().orElseThrow();
        assertEquals(Map.of("n2", 3), bobs.coresByNode());
        assertEquals(List.of(new JobSearchQueries.Suspension(T.plusSeconds(30), T.plusSeconds(40)),
                new JobSearchQueries.Suspension(T.plusSeconds(50), null)), bobs.suspensions(),
                "a suspension ended by the resume, and one under way");
    }
}
