package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CPU ids a node says an attempt holds: runner-running's and node-heartbeat's optional {@code cpus}, taken from
 * messages of node-runners that send none, and refused (as no node-runner sends them) when they are no CPU list.
 */
class RunnerEventCpusTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aStartsCpusSurviveTheCodecAndAnOldStartHasNone() throws Exception {
        RunnerEvent.RunnerRunning bound = new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "0-1,4");
        assertEquals(bound, MessageCodec.decode(MessageCodec.encode(bound)));
        RunnerEvent.RunnerRunning unbound = new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "");
        assertEquals("", ((RunnerEvent.RunnerRunning) MessageCodec.decode(MessageCodec.encode(unbound))).cpus());
        RunnerEvent.RunnerRunning old = (RunnerEvent.RunnerRunning) MessageCodec.decode("{\"version\": 1, \"type\":"
                + " \"runner-running\", \"jobId\": 42, \"attempt\": 1, \"nodeId\": \"n1-0000abcd\", \"time\":"
                + " \"2026-11-21T10:00:00Z\"}");
        assertNull(old.cpus());
        assertNull(old.problem());
    }

    @Test
    void aHeartbeatsCpusSurviveTheCodecAndAnOldHeartbeatHasNone() throws Exception {
        RunnerEvent.NodeHeartbeat beat = new RunnerEvent.NodeHeartbeat("n1-0000abcd", "n1", List.of(), 8, 1024, 0,
                List.of(new RunnerEvent.RunningAttempt(42, 1), new RunnerEvent.RunningAttempt(43, 2)), T,
                List.of(new RunnerEvent.HeldCpus(42, 1, "2-3"), new RunnerEvent.HeldCpus(43, 2, "")));
        assertEquals(beat, MessageCodec.decode(MessageCodec.encode(beat)));
        assertNull(beat.problem());
        RunnerEvent.NodeHeartbeat old = (RunnerEvent.NodeHeartbeat) MessageCodec.decode("{\"version\": 1, \"type\":"
                + " \"node-heartbeat\", \"nodeId\": \"n1-0000abcd\", \"hostname\": \"n1\", \"cores\": 8, \"memoryMb\":"
                + " 1024, \"gpus\": 0, \"running\": [{\"jobId\": 42, \"attempt\": 1}], \"time\":"
                + " \"2026-11-21T10:00:00Z\"}");
        assertEquals(List.of(), old.cpus());
        assertNull(old.problem());
    }

    @Test
    void cpusThatAreNoCpuListAreAProblemNamingTheField() {
        assertEquals("cpus: 'x' of the CPU list '0,x' is no CPU id from 0 to 8191",
                new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "0,x").problem());
        assertEquals("cpus: '3-1' of the CPU list '3-1' runs backwards",
                new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "3-1").problem());
        assertEquals("cpus: '9000' of the CPU list '9000' is no CPU id from 0 to 8191",
                new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "9000").problem());
        assertEquals("cpus[1].cpus: '?' of the CPU list '1,?' is no CPU id from 0 to 8191",
                heartbeat(new RunnerEvent.HeldCpus(42, 1, "0"), new RunnerEvent.HeldCpus(43, 1, "1,\u202e")).problem());
        assertTrue(heartbeat(new RunnerEvent.HeldCpus(0, 1, "0")).problem().startsWith("cpus[0] is HeldCpus[jobId=0,"),
                "an attempt below 1");
        assertTrue(heartbeat(new RunnerEvent.HeldCpus(42, 1, null)).problem().endsWith("and cpus is required"));
        assertTrue(heartbeat((RunnerEvent.HeldCpus) null).problem().startsWith("cpus[0] is null"));
    }

    @Test
    void theListFormatIsReadAndWrittenAsLinuxWritesIt() {
        assertEquals(Set.of(0, 1, 2, 3, 8, 10, 11), CpuIdList.parse("0-3,8,10-11"));
        assertEquals("0-3,8,10-11", CpuIdList.format(Set.of(11, 10, 8, 3, 2, 1, 0)));
        assertEquals("0-2,5", CpuIdList.normalized("5,2,0-1"));
        assertEquals("", CpuIdList.normalized(""));
        assertNull(CpuIdList.problem(""));
        assertThrows(IllegalArgumentException.class, () -> CpuIdList.parse("1-"));
    }

    private static RunnerEvent.NodeHeartbeat heartbeat(RunnerEvent.HeldCpus... cpus) {
        return new RunnerEvent.NodeHeartbeat("n1-0000abcd", "n1", List.of(), 8, 1024, 0, List.of(), T,
                Arrays.asList(cpus));
    }
}
