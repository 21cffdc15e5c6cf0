package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * scontrol update TimeLimit+=N of an array: each record's own limit changes by N, its running tasks' and its
 * pending part's, as Slurm changes each task's; one value for all would shorten a task extended alone.
 */
class RelativeTimeLimitTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    private JobControl.Outcome<ClientReply.ControlResult> change(long job, Integer task, long seconds) {
        var outcome = s.core.control().update(new ControlRequest.UpdateJob(job, task, null, null, null, null,
                seconds));
        s.apply(outcome.decisions());
        return outcome;
    }

    /** Two of its three tasks running (throttle 2), task 1 extended to 1200 s alone; the rest have 600 s. */
    private long arrayWithAnExtendedTask() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-3%2"));
        s.schedule();
        s.apply(s.core.control().update(new ControlRequest.UpdateJob(array, 1, 1200L, null, null, null)).decisions());
        return array;
    }

    private Map<String, Long> limits() {
        return s.stored.values().stream().filter(j -> !j.state().isTerminal()).collect(Collectors.toMap(
                JobRecord::displayId, j -> j.spec().timeLimitSeconds()));
    }

    @Test
    void eachRecordOfAnArrayGetsItsOwnLimitPlusTheChange() {
        long array = arrayWithAnExtendedTask();
        assertEquals(Map.of(array + "_1", 1200L, array + "_2", 600L, array + "_[3%2]", 600L), limits());

        var outcome = change(array, null, 300);

        assertTrue(outcome.result().ok(), outcome.result().toString());
        assertEquals(Map.of(array + "_1", 1500L, array + "_2", 900L, array + "_[3%2]", 900L), limits());
        assertEquals(List.of(1500L, 900L), s.sent.stream().filter(m -> m instanceof NodeCommand.SetTimeLimit)
                .map(m -> ((NodeCommand.SetTimeLimit) m).timeLimitSeconds()).skip(1).sorted((a, b) -> Long.compare(b,
                        a)).toList());
        change(array, null, -120);
        assertEquals(Map.of(array + "_1", 1380L, array + "_2", 780L, array + "_[3%2]", 780L), limits());
    }

    @Test
    void aChangeThatWouldTakeAnyRecordOutOfBoundsChangesNone() {
        long array = arrayWithAnExtendedTask();
        int sent = s.sent.size();

        var outcome = change(array, null, -900);

        assertFalse(outcome.result().ok());
        assertTrue(outcome.result().reason().contains("timeLimitChangeSeconds"), outcome.result().reason());
        assertTrue(outcome.decisions().isEmpty());
        assertEquals(Map.of(array + "_1", 1200L, array + "_2", 600L, array + "_[3%2]", 600L), limits());
        assertEquals(sent, s.sent.size());
    }

    @Test
    void aJobWithoutALimitHasNoneToChangeAndBothFormsTogetherAreRefused() {
        s.node("n1", 8);
        long unlimited = s.submit(CoreScenario.spec().timeLimitSeconds(null));
        var none = change(unlimited, null, 60);
        assertFalse(none.result().ok());
        assertTrue(none.result().reason().contains("no time limit"), none.result().reason());
        var both = s.core.control().update(new ControlRequest.UpdateJob(unlimited, null, 60L, null, null, null, 60L));
        assertFalse(both.result().ok());
        assertTrue(both.decisions().isEmpty());
        assertEquals(JobState.PENDING, s.job(unlimited).state());
    }
}
