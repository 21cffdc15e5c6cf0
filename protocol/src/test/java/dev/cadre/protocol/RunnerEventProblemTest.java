package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What no node-runner sends, which the head drops instead of storing (MessageBadInputIntegrationTest finds it). */
class RunnerEventProblemTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    private static RunnerEvent.NodeHeartbeat beat(int cores, long memoryMb, int gpus,
            List<RunnerEvent.RunningAttempt> running, Instant time) {
        return new RunnerEvent.NodeHeartbeat("n1-0000abcd", "n1", List.of(), cores, memoryMb, gpus, running, time);
    }

    @Test
    void aHeartbeatOfNegativeResourcesOfNoAttemptOrOfNoTimeHasAProblemNamingIt() {
        assertNull(beat(8, 1024, 0, List.of(new RunnerEvent.RunningAttempt(42, 1)), T).problem());
        assertEquals("cores, memoryMb and gpus must not be negative; they are -1, 1024 and 0",
                beat(-1, 1024, 0, List.of(), T).problem());
        assertEquals("cores, memoryMb and gpus must not be negative; they are 8, -1 and 0",
                beat(8, -1, 0, List.of(), T).problem());
        assertEquals("running[0] is RunningAttempt[jobId=42, attempt=-1], which is no attempt: jobId and attempt"
                + " start at 1", beat(8, 1024, 0, List.of(new RunnerEvent.RunningAttempt(42, -1)), T).problem());
        assertEquals("time is required", beat(8, 1024, 0, List.of(), null).problem());
        assertEquals("hostname is required", new RunnerEvent.NodeHeartbeat("n1-0000abcd", "", List.of(), 8, 1024, 0,
                List.of(), T).problem());
    }

    @Test
    void anAttemptEventWithoutItsNodeOrTimeHasAProblem() {
        assertNull(new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T).problem());
        assertEquals("nodeId is required", new RunnerEvent.RunnerRunning(42, 1, null, T).problem());
        assertEquals("time is required", new RunnerEvent.RunnerReleased(42, 1, "n1-0000abcd", null).problem());
    }
}
