package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.DependencyStatus.Named;
import dev.cadre.protocol.DependencyStatus.State;
import dev.cadre.protocol.DependencyStatus.Term;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule a dependency's terms are judged by, and Slurm's rendering of what is left of them. */
class DependencyStatusTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final JobSpec SPEC = JobSpec.builder().name("a").user("alice").script("#!/bin/sh\n").build();

    private static Dependencies.Condition only(String text) {
        return Dependencies.parse(text).conditions().get(0);
    }

    private static State judge(String condition, Named named) {
        return DependencyStatus.judge(only(condition), named, NOW);
    }

    private static JobRecord pending(long id) {
        return new JobRecord(id, "k" + id, SPEC, JobState.PENDING, null, 0, null, false, null, null, NOW, null,
                null);
    }

    private static JobRecord running(long id, Duration ago) {
        return pending(id).started(1, null, NOW.minus(ago));
    }

    private static Named ended(JobState state) {
        return Named.ended(state, NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void afterokWaitsForAJobToCompleteAndFailsWhenItEndsOtherwise() {
        assertEquals(State.UNFULFILLED, judge("afterok:5", Named.unfinished(pending(5))));
        assertEquals(State.UNFULFILLED, judge("afterok:5", Named.unfinished(running(5, Duration.ofHours(1)))));
        assertEquals(State.FULFILLED, judge("afterok:5", ended(JobState.COMPLETED)));
        for (JobState s : List.of(JobState.FAILED, JobState.CANCELLED, JobState.TIMEOUT, JobState.NODE_FAIL,
                JobState.OUT_OF_MEMORY)) {
            assertEquals(State.FAILED, judge("afterok:5", ended(s)), s.name());
        }
    }

    @Test
    void afternotokIsAfterokTurnedAround() {
        assertEquals(State.UNFULFILLED, judge("afternotok:5", Named.unfinished(pending(5))));
        assertEquals(State.FAILED, judge("afternotok:5", ended(JobState.COMPLETED)));
        assertEquals(State.FULFILLED, judge("afternotok:5", ended(JobState.FAILED)));
    }

    @Test
    void afteranyWaitsOnlyForTheEnd() {
        assertEquals(State.UNFULFILLED, judge("afterany:5", Named.unfinished(running(5, Duration.ofHours(1)))));
        assertEquals(State.FULFILLED, judge("afterany:5", ended(JobState.CANCELLED)));
        assertEquals(State.FULFILLED, judge("afterany:5", ended(JobState.COMPLETED)));
    }

    @Test
    void afterWaitsForTheStartAndItsDelay() {
        assertEquals(State.UNFULFILLED, judge("after:5", Named.unfinished(pending(5))));
        assertEquals(State.FULFILLED, judge("after:5", Named.unfinished(running(5, Duration.ZERO))));
        assertEquals(State.UNFULFILLED, judge("after:5+10", Named.unfinished(running(5, Duration.ofMinutes(9)))));
        assertEquals(State.FULFILLED, judge("after:5+10", Named.unfinished(running(5, Duration.ofMinutes(10)))));
        assertEquals(State.UNFULFILLED, judge("after:5+10",
                Named.ended(JobState.CANCELLED, null, NOW.minus(Duration.ofMinutes(3)))),
                "a job cancelled before it started counts from its end");
        assertEquals(State.FULFILLED, judge("after:5+10", ended(JobState.FAILED)));
    }

    @Test
    void aJobThatEndedLongAgoCountsAsAnyOtherAndOneNoLongerStoredNeverCan() {
        Named yearAgo = Named.ended(JobState.COMPLETED, NOW.minus(Duration.ofDays(366)),
                NOW.minus(Duration.ofDays(365)));
        assertEquals(State.FULFILLED, judge("afterok:5", yearAgo));
        assertEquals(State.FAILED, judge("afternotok:5", yearAgo));
        assertEquals(State.FAILED, judge("afterany:5", null), "a job pruned from the history, or none");
        assertEquals(State.FAILED, judge("afterok:5_3", null));
    }

    @Test
    void aWholeArrayNeedsEveryTask() {
        JobRecord array = pending(5).withArray(new ArrayPart(5, null, ArrayIndexes.parse("4-9")));
        JobRecord task = running(6, Duration.ofHours(1)).withArray(new ArrayPart(5, 1, null));
        assertEquals(State.UNFULFILLED, judge("afterok:5", Named.array(List.of(task), List.of(JobState.COMPLETED))));
        assertEquals(State.FAILED, judge("afterok:5", Named.array(List.of(task), List.of(JobState.COMPLETED,
                JobState.FAILED))), "one task failed: afterok on the array never holds");
        assertEquals(State.FULFILLED, judge("afterok:5", Named.array(List.of(), List.of(JobState.COMPLETED))));
        assertEquals(State.FAILED, judge("afternotok:5", Named.array(List.of(), List.of(JobState.COMPLETED))));
        assertEquals(State.UNFULFILLED, judge("afternotok:5", Named.array(List.of(task), List.of(JobState.FAILED))));
        assertEquals(State.FULFILLED, judge("afternotok:5", Named.array(List.of(), List.of(JobState.COMPLETED,
                JobState.CANCELLED))));
        assertEquals(State.UNFULFILLED, judge("after:5", Named.array(List.of(task, array), List.of())),
                "tasks not yet started hold after back");
        assertEquals(State.FULFILLED, judge("after:5", Named.array(List.of(task), List.of(JobState.FAILED))));
    }

    @Test
    void aTaskHeldUnstartedInItsArraysRecordWaits() {
        JobRecord holder = running(5, Duration.ofHours(1)).withArray(new ArrayPart(5, null,
                ArrayIndexes.parse("3-9")));
        for (String c : List.of("after:5_3", "afterany:5_3", "afterok:5_3", "afternotok:5_3")) {
            assertEquals(State.UNFULFILLED, judge(c, Named.unfinished(holder)), c);
        }
    }

    @Test
    void singletonWaitsOnAnOlderUnfinishedJobOrARunningNewerOne() {
        assertTrue(DependencyStatus.singletonWaitsOn(7, 5, JobState.PENDING));
        assertFalse(DependencyStatus.singletonWaitsOn(7, 9, JobState.PENDING));
        assertTrue(DependencyStatus.singletonWaitsOn(7, 9, JobState.RUNNING));
        assertFalse(DependencyStatus.singletonWaitsOn(7, 7, JobState.RUNNING), "not on itself");
    }

    @Test
    void aftercorrPairsATaskWithTheSameTaskOrElseTheWholeJob() {
        Dependencies.Condition c = only("aftercorr:5");
        assertEquals("afterok:5_3", DependencyStatus.partner(c, 3, (job, task) -> task < 10).toString());
        assertEquals("afterok:5", DependencyStatus.partner(c, 12, (job, task) -> task < 10).toString());
        assertEquals("afterok:5", DependencyStatus.partner(c, null, (job, task) -> true).toString());
        assertEquals(State.UNFULFILLED, DependencyStatus.forUnstartedTasks(State.FAILED),
                "an array's unstarted tasks: others' partners may yet complete");
        assertEquals(State.FULFILLED, DependencyStatus.forUnstartedTasks(State.FULFILLED));
    }

    @Test
    void termsAreWrittenAsSlurmWritesThem() {
        assertEquals("afterok:5_*", DependencyStatus.term(only("afterok:5"), true));
        assertEquals("afterok:5", DependencyStatus.term(only("afterok:5"), false));
        assertEquals("afternotok:5_3", DependencyStatus.term(only("afternotok:5_3"), true));
        assertEquals("after:5_*+10", DependencyStatus.term(only("after:5+10"), true));
        assertEquals("aftercorr:5_*", DependencyStatus.term(only("aftercorr:5"), true));
        assertEquals("singleton", DependencyStatus.term(only("singleton"), false));
    }

    @Test
    void fulfilledTermsDropOutAndNoneLeftReadsNull() {
        Term a = new Term("afterok:5_*", State.UNFULFILLED);
        Term b = new Term("afterany:7", State.UNFULFILLED);
        Term done = new Term("afterok:8", State.FULFILLED);
        Term failed = new Term("afterok:9", State.FAILED);
        assertEquals("afterok:5_*(unfulfilled),afterany:7(unfulfilled)",
                DependencyStatus.of(List.of(a, done, b), false).text());
        assertEquals("afterok:9(failed),afterany:7(unfulfilled)",
                DependencyStatus.of(List.of(done, failed, b), false).text());
        assertEquals("(null)", DependencyStatus.of(List.of(done), false).text());
        assertEquals("singleton(unfulfilled)",
                DependencyStatus.of(List.of(new Term("singleton", State.UNFULFILLED)), false).text());
        assertEquals(List.of(a, done, b), DependencyStatus.of(List.of(a, done, b), false).terms(),
                "the structure keeps every term");
    }

    @Test
    void oneFulfilledTermOfAnAnyOneListClearsIt() {
        Term a = new Term("afterok:5", State.FAILED);
        Term b = new Term("afterany:7", State.UNFULFILLED);
        assertEquals("afterok:5(failed)?afterany:7(unfulfilled)", DependencyStatus.of(List.of(a, b), true).text());
        assertEquals("(null)", DependencyStatus.of(List.of(a, new Term("afterok:8", State.FULFILLED), b), true)
                .text());
    }
}
