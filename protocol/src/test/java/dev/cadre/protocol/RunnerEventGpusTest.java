package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU indexes a node says an attempt holds: runner-running's {@code gpus} and each node-heartbeat {@code cpus}
 * entry's, absent from node-runners that send none, and refused (as no node-runner sends them) when an entry is no
 * index or names a GPU twice.
 */
class RunnerEventGpusTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aStartsGpusSurviveTheCodecAndAStartWithoutThemHasNone() throws Exception {
        RunnerEvent.RunnerRunning two = new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "0-1", List.of(1, 3));
        assertEquals(two, MessageCodec.decode(MessageCodec.encode(two)));
        assertNull(two.problem());
        RunnerEvent.RunnerRunning none = new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "", List.of());
        assertEquals(List.of(), ((RunnerEvent.RunnerRunning) MessageCodec.decode(MessageCodec.encode(none))).gpus());
        RunnerEvent.RunnerRunning old = (RunnerEvent.RunnerRunning) MessageCodec.decode("{\"version\": 1, \"type\":"
                + " \"runner-running\", \"jobId\": 42, \"attempt\": 1, \"nodeId\": \"n1-0000abcd\", \"time\":"
                + " \"2026-11-21T10:00:00Z\", \"cpus\": \"0\"}");
        assertNull(old.gpus());
        assertNull(old.problem());
    }

    @Test
    void aHeartbeatsGpusSurviveTheCodecAndAnEntryWithoutThemHasNone() throws Exception {
        RunnerEvent.NodeHeartbeat beat = new RunnerEvent.NodeHeartbeat("n1-0000abcd", "n1", List.of(), 8, 1024, 4,
                List.of(new RunnerEvent.RunningAttempt(42, 1), new RunnerEvent.RunningAttempt(43, 2)), T,
                List.of(new RunnerEvent.HeldCpus(42, 1, "2-3", List.of(0)), new RunnerEvent.HeldCpus(43, 2, "")));
        RunnerEvent.NodeHeartbeat decoded = (RunnerEvent.NodeHeartbeat) MessageCodec.decode(MessageCodec.encode(beat));
        assertEquals(beat, decoded);
        assertEquals(List.of(0), decoded.cpus().get(0).gpus());
        assertNull(decoded.cpus().get(1).gpus());
        assertNull(beat.problem());
        RunnerEvent.NodeHeartbeat old = (RunnerEvent.NodeHeartbeat) MessageCodec.decode("{\"version\": 1, \"type\":"
                + " \"node-heartbeat\", \"nodeId\": \"n1-0000abcd\", \"hostname\": \"n1\", \"cores\": 8, \"memoryMb\":"
                + " 1024, \"gpus\": 0, \"running\": [{\"jobId\": 42, \"attempt\": 1}], \"time\":"
                + " \"2026-11-21T10:00:00Z\", \"cpus\": [{\"jobId\": 42, \"attempt\": 1, \"cpus\": \"0\"}]}");
        assertNull(old.cpus().get(0).gpus());
        assertNull(old.problem());
    }

    @Test
    void gpusThatAreNoIndexesAreAProblemNamingTheEntry() throws Exception {
        assertEquals("gpus[1] is -1, which is no GPU index from 0 to 1023",
                new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "", List.of(0, -1)).problem());
        assertEquals("gpus[0] is 1024, which is no GPU index from 0 to 1023",
                new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, null, List.of(1024)).problem());
        assertEquals("gpus[2] is 1 again; each GPU is named once",
                new RunnerEvent.RunnerRunning(42, 1, "n1-0000abcd", T, "", List.of(1, 2, 1)).problem());
        assertEquals("gpus[0] is null, which is no GPU index from 0 to 1023",
                ((RunnerEvent) MessageCodec.decode("{\"version\": 1, \"type\": \"runner-running\", \"jobId\": 42,"
                        + " \"attempt\": 1, \"nodeId\": \"n1-0000abcd\", \"time\": \"2026-11-21T10:00:00Z\","
                        + " \"gpus\": [null]}")).problem());
        assertEquals("cpus[1].gpus[0] is -3, which is no GPU index from 0 to 1023",
                heartbeat(new RunnerEvent.HeldCpus(42, 1, "0", List.of(0)),
                        new RunnerEvent.HeldCpus(43, 1, "1", List.of(-3))).problem());
    }

    private static RunnerEvent.NodeHeartbeat heartbeat(RunnerEvent.HeldCpus... cpus) {
        return new RunnerEvent.NodeHeartbeat("n1-0000abcd", "n1", List.of(), 8, 1024, 4, List.of(), T,
                Arrays.asList(cpus));
    }
}
