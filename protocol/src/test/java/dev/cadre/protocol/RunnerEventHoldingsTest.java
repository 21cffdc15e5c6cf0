package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU ids and GPU indexes a node says an attempt holds: runner-running's optional {@code cpus} and {@code gpus},
 * node-heartbeat's {@code cpus} entries with their own {@code gpus}; absent from messages of node-runners that send
 * none, and refused (as no node-runner sends them) when they are no CPU list, or an entry is no GPU index or names a
 * GPU twice.
 */
class RunnerEventHoldingsTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final String NODE = "n1-0000abcd";

    private static RunnerEvent.NodeHeartbeat heartbeat(int gpus, RunnerEvent.HeldCpus... cpus) {
        return new RunnerEvent.NodeHeartbeat(NODE, "n1", List.of(), 8, 1024, gpus, List.of(), T, Arrays.asList(cpus));
    }

    static Stream<Arguments> messagesThatHoldSomething() {
        List<RunnerEvent.RunningAttempt> running = List.of(new RunnerEvent.RunningAttempt(42, 1),
                new RunnerEvent.RunningAttempt(43, 2));
        return Stream.of(
                Arguments.of("cpus", new RunnerEvent.RunnerRunning(42, 1, NODE, T, "0-1,4")),
                Arguments.of("no cpus", new RunnerEvent.RunnerRunning(42, 1, NODE, T, "")),
                Arguments.of("cpus and gpus", new RunnerEvent.RunnerRunning(42, 1, NODE, T, "0-1", List.of(1, 3))),
                Arguments.of("no gpus", new RunnerEvent.RunnerRunning(42, 1, NODE, T, "", List.of())),
                Arguments.of("a heartbeat's cpus", new RunnerEvent.NodeHeartbeat(NODE, "n1", List.of(), 8, 1024, 0,
                        running, T, List.of(new RunnerEvent.HeldCpus(42, 1, "2-3"), new RunnerEvent.HeldCpus(43, 2,
                                "")))),
                Arguments.of("a heartbeat's gpus", new RunnerEvent.NodeHeartbeat(NODE, "n1", List.of(), 8, 1024, 4,
                        running, T, List.of(new RunnerEvent.HeldCpus(42, 1, "2-3", List.of(0)),
                                new RunnerEvent.HeldCpus(43, 2, "")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesThatHoldSomething")
    void whatItHoldsSurvivesTheCodec(String what, RunnerEvent event) throws Exception {
        assertEquals(event, MessageCodec.decode(MessageCodec.encode(event)), what);
        assertNull(event.problem(), what);
    }

    private static final String OLD_START = "{\"version\": 1, \"type\": \"runner-running\", \"jobId\": 42, \"attempt\":"
            + " 1, \"nodeId\": \"" + NODE + "\", \"time\": \"2026-11-21T10:00:00Z\"";
    private static final String OLD_BEAT = "{\"version\": 1, \"type\": \"node-heartbeat\", \"nodeId\": \"" + NODE
            + "\", \"hostname\": \"n1\", \"cores\": 8, \"memoryMb\": 1024, \"gpus\": 0, \"running\": [{\"jobId\": 42,"
            + " \"attempt\": 1}], \"time\": \"2026-11-21T10:00:00Z\"";

    static Stream<Arguments> fieldsAsSentOrLeftOut() {
        Function<Object, RunnerEvent.RunnerRunning> start = e -> (RunnerEvent.RunnerRunning) e;
        Function<Object, RunnerEvent.NodeHeartbeat> beat = e -> (RunnerEvent.NodeHeartbeat) e;
        return Stream.of(
                Arguments.of("an old start's cpus", OLD_START + "}", start.andThen(RunnerEvent.RunnerRunning::cpus),
                        null),
                Arguments.of("an old start's gpus", OLD_START + ", \"cpus\": \"0\"}",
                        start.andThen(RunnerEvent.RunnerRunning::gpus), null),
                Arguments.of("a start's empty cpus", MessageCodec.encode(new RunnerEvent.RunnerRunning(42, 1, NODE, T,
                        "")), start.andThen(RunnerEvent.RunnerRunning::cpus), ""),
                Arguments.of("a start's empty gpus", MessageCodec.encode(new RunnerEvent.RunnerRunning(42, 1, NODE, T,
                        "", List.of())), start.andThen(RunnerEvent.RunnerRunning::gpus), List.of()),
                Arguments.of("an old heartbeat's cpus", OLD_BEAT + "}", beat.andThen(RunnerEvent.NodeHeartbeat::cpus),
                        List.of()),
                Arguments.of("an old heartbeat entry's gpus", OLD_BEAT + ", \"cpus\": [{\"jobId\": 42, \"attempt\": 1,"
                        + " \"cpus\": \"0\"}]}", beat.andThen(b -> b.cpus().get(0).gpus()), null),
                Arguments.of("a heartbeat entry's gpus", MessageCodec.encode(heartbeat(4,
                        new RunnerEvent.HeldCpus(42, 1, "2-3", List.of(0)), new RunnerEvent.HeldCpus(43, 2, ""))),
                        beat.andThen(b -> List.of(b.cpus().get(0).gpus(), String.valueOf(b.cpus().get(1).gpus()))),
                        List.of(List.of(0), "null")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldsAsSentOrLeftOut")
    void aFieldLeftOutIsNoneAndAnotherAsSent(String what, String json, Function<Object, Object> field,
            Object expected) throws Exception {
        RunnerEvent decoded = (RunnerEvent) MessageCodec.decode(json);
        assertEquals(expected, field.apply(decoded), what);
        assertNull(decoded.problem(), what);
    }

    static Stream<Arguments> problems() throws Exception {
        return Stream.of(
                Arguments.of(new RunnerEvent.RunnerRunning(42, 1, NODE, T, "0,x"),
                        "= cpus: 'x' of the CPU list '0,x' is no CPU id from 0 to 8191"),
                Arguments.of(new RunnerEvent.RunnerRunning(42, 1, NODE, T, "3-1"),
                        "= cpus: '3-1' of the CPU list '3-1' runs backwards"),
                Arguments.of(new RunnerEvent.RunnerRunning(42, 1, NODE, T, "9000"),
                        "= cpus: '9000' of the CPU list '9000' is no CPU id from 0 to 8191"),
                Arguments.of(heartbeat(0, new RunnerEvent.HeldCpus(42, 1, "0"), new RunnerEvent.HeldCpus(43, 1,
                        "1,\u202e")), "= cpus[1].cpus: '?' of the CPU list '1,?' is no CPU id from 0 to 8191"),
                Arguments.of(heartbeat(0, new RunnerEvent.HeldCpus(0, 1, "0")),
                        "^ cpus[0] is HeldCpus[jobId=0,"),
                Arguments.of(heartbeat(0, new RunnerEvent.HeldCpus(42, 1, null)), "$ and cpus is required"),
                Arguments.of(heartbeat(0, (RunnerEvent.HeldCpus) null), "^ cpus[0] is null"),
                Arguments.of(new RunnerEvent.RunnerRunning(42, 1, NODE, T, "", List.of(0, -1)),
                        "= gpus[1] is -1, which is no GPU index from 0 to 1023"),
                Arguments.of(new RunnerEvent.RunnerRunning(42, 1, NODE, T, null, List.of(1024)),
                        "= gpus[0] is 1024, which is no GPU index from 0 to 1023"),
                Arguments.of(new RunnerEvent.RunnerRunning(42, 1, NODE, T, "", List.of(1, 2, 1)),
                        "= gpus[2] is 1 again; each GPU is named once"),
                Arguments.of(MessageCodec.decode(OLD_START + ", \"gpus\": [null]}"),
                        "= gpus[0] is null, which is no GPU index from 0 to 1023"),
                Arguments.of(heartbeat(4, new RunnerEvent.HeldCpus(42, 1, "0", List.of(0)),
                        new RunnerEvent.HeldCpus(43, 1, "1", List.of(-3))),
                        "= cpus[1].gpus[0] is -3, which is no GPU index from 0 to 1023"));
    }

    /** @param expected "= " the whole problem, "^ " how it begins, "$ " how it ends */
    @ParameterizedTest
    @MethodSource("problems")
    void whatIsNoCpuListOrGpuIndexIsAProblemNamingTheField(RunnerEvent event, String expected) {
        String problem = event.problem();
        String text = expected.substring(2);
        switch (expected.charAt(0)) {
            case '=' -> assertEquals(text, problem);
            case '^' -> assertTrue(problem != null && problem.startsWith(text), problem);
            default -> assertTrue(problem != null && problem.endsWith(text), problem);
        }
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
}
