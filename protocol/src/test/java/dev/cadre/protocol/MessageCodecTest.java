package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    static JobSpec spec() {
        return JobSpec.builder().name("hello").user("alice").script("#!/bin/sh\necho hi\n").workDir("/tmp")
                .environment(Map.of("A", "1")).timeLimitSeconds(60L).nodes(1).tasks(2).build();
    }

    @Test
    void everyMessageRoundTripsWithItsWireName() throws Exception {
        Allocation alloc = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 2, 2, 0, 0)));
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        List<Message> all = List.of(
                new ClientRequest.SubmitJob("s-1", spec()),
                new ControlRequest.CancelJob(5),
                new ClientReply.JobAccepted(5, "s-1", false, JobState.PENDING, null, null),
                new ClientReply.JobRejected("s-1", RejectionCode.INVALID_FIELD, "bad", "spec.tasks"),
                new ClientReply.CancelResult(5, true, JobState.COMPLETING, null),
                new NodeCommand.PlaceJob(5, 1, spec(), alloc, "tok"),
                new NodeCommand.KillJob(5, 1, JobState.TIMEOUT),
                new NodeCommand.SignalAttempt(5, 1, "USR1", true),
                new ControlRequest.SignalJob(5, 2, "TERM", false),
                new RunnerEvent.RunnerRunning(5, 1, "n1", t),
                new RunnerEvent.RunnerFinished(5, 1, "n1", 3, 0, null, t),
                new RunnerEvent.RunnerFailed(5, 1, "n1", "no dir", t),
                new RunnerEvent.NodeHeartbeat("n1", "host1", List.of("10.0.0.1"), 4, 1024, 0,
                        List.of(new RunnerEvent.RunningAttempt(5, 1)), t),
                new JobEvent.JobStateChanged(5, JobState.PENDING, JobState.RUNNING, null, t, 1, "alice", "hello", null,
                        null));
        for (Message m : all) {
            String json = MessageCodec.encode(m);
            assertTrue(json.contains("\"type\":\"" + MessageCodec.typeName(m) + "\""), json);
            assertEquals(m, MessageCodec.decode(json));
        }
    }

    /** A part's pending tasks after task-list holds can be far longer than a request's list: read whole. */
    @Test
    void anArrayRecordsPendingTasksAreReadHoweverLongTheirText() throws Exception {
        int[] ids = IntStream.range(0, 100_000).filter(i -> i % 3 != 0).toArray();
        ArrayIndexes scattered = ArrayIndexes.ofSorted(ids);
        assertTrue(scattered.toString().length() > ArrayIndexes.MAX_REQUEST_TEXT);
        Allocation alloc = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 2, 2, 0, 0)));
        var place = new NodeCommand.PlaceJob(5, 1, spec(), alloc, "tok", new ArrayPart(5, null, scattered));
        assertEquals(place, MessageCodec.decode(MessageCodec.encode(place)));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        var m = MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":3,\"future\":{\"x\":1}}");
        assertEquals(new ControlRequest.CancelJob(3), m);
    }

    @Test
    void badInputIsNamedPrecisely() {
        assertReason("unknown message type 'launch-missiles'", "{\"type\":\"launch-missiles\"}");
        assertReason("message has no 'type' field", "{\"jobId\":3}");
        assertReason("jobId: expected an integer, got a string", "{\"type\":\"cancel-job\",\"jobId\":\"3\"}");
        assertReason("spec.tasks: expected an integer, got a number with a fraction or exponent",
                "{\"type\":\"submit-job\",\"spec\":{\"tasks\":1.5}}");
        assertReason("spec.name: expected a string, got an integer",
                "{\"type\":\"submit-job\",\"spec\":{\"name\":7}}");
        assertReason("message must be a JSON object with a 'type' field", "[1,2]");
        assertTrue(reason("{\"type\":").startsWith("malformed JSON"));
        assertEquals("message body is empty", reason(""));
    }

    @Test
    void noScalarIsTakenForAnotherKind() {
        for (String value : new String[] {"7", "1.5", "-0.0", "1e308", "true", "false", "{}", "[\"x\"]"}) {
            assertReasonStarts("submissionId: expected a string, got ",
                    "{\"type\":\"submit-job\",\"submissionId\":" + value + ",\"spec\":{}}");
            assertReasonStarts("name: expected a string, got ",
                    "{\"type\":\"delete-service\",\"name\":" + value + "}");
        }
        for (String value : new String[] {"\"3\"", "1.5", "3.0", "true", "{}", "[3]"}) {
            assertReasonStarts("jobId: expected an integer, got ",
                    "{\"type\":\"cancel-job\",\"jobId\":" + value + "}");
        }
        for (String value : new String[] {"\"true\"", "1", "0", "1.0", "{}", "[true]"}) {
            assertReasonStarts("admin: expected true or false, got ",
                    "{\"type\":\"hold-job\",\"jobId\":3,\"admin\":" + value + "}");
        }
    }

    @Test
    void oversizedAndNonUtf8BodiesAreRefused() {
        byte[] big = new byte[MessageCodec.MAX_BYTES + 1];
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(big));
        assertTrue(e.getMessage().contains("the limit is " + MessageCodec.MAX_BYTES));
        byte[] bad = "{\"type\":\"cancel-job\",\"jobId\":1,\"x\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("message body is not valid UTF-8",
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(bad)).getMessage());
    }

    @Test
    void aMessageOfTheWrongFamilyIsRefused() {
        var e = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":1}", RunnerEvent.class));
        assertEquals("message type 'cancel-job' is not accepted here", e.getMessage());
        assertInstanceOf(ProtocolException.class, e);
    }

    @Test
    void everyMessageCarriesTheProtocolVersionAndNewerVersionsAreRefused() throws Exception {
        assertTrue(MessageCodec.encode(new ControlRequest.CancelJob(1)).contains("\"version\":1"));
        assertEquals(new ControlRequest.CancelJob(1), MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":1}"));
        assertEquals(new ControlRequest.CancelJob(1),
                MessageCodec.decode("{\"version\":1,\"type\":\"cancel-job\",\"jobId\":1}"));
        var newer = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"version\":2,\"type\":\"cancel-job\",\"jobId\":1}"));
        assertEquals(RejectionCode.UNSUPPORTED_VERSION, newer.code());
        assertEquals("protocol version 2 is not supported; this Cadre speaks version 1", newer.getMessage());
        var wrong = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"version\":\"1\",\"type\":\"cancel-job\",\"jobId\":1}"));
        assertEquals(RejectionCode.WRONG_TYPE, wrong.code());
        assertEquals("version", wrong.field());
    }

    @Test
    void eachRefusalCarriesItsCode() {
        assertEquals(RejectionCode.MALFORMED, code("{\"type\":"));
        assertEquals(RejectionCode.MALFORMED, code("{\"type\":\"cancel-job\",\"jobId\":1} trailing"));
        assertEquals(RejectionCode.MALFORMED, code("{\"type\":\"cancel-job\",\"type\":\"submit-job\",\"jobId\":1}"));
        assertEquals(RejectionCode.MALFORMED, code("\"just a string\""));
        assertEquals(RejectionCode.UNKNOWN_TYPE, code("{\"type\":\"launch-missiles\"}"));
        assertEquals(RejectionCode.UNKNOWN_TYPE, code("{\"jobId\":1}"));
        assertEquals(RejectionCode.WRONG_TYPE, code("{\"type\":\"cancel-job\",\"jobId\":true}"));
        assertEquals(RejectionCode.WRONG_TYPE, code("{\"type\":\"submit-job\",\"spec\":[]}"));
        assertEquals(RejectionCode.TOO_LARGE, assertThrows(ProtocolException.class,
                () -> MessageCodec.decode(new byte[MessageCodec.MAX_BYTES + 1])).code());
    }

    @Test
    void hostileTypeNamesAreQuotedSafely() {
        String reason = reason("{\"type\":\"x\\u0007y" + "z".repeat(200) + "\"}");
        assertTrue(reason.startsWith("unknown message type 'x?y"), reason);
        assertTrue(reason.length() < 120, reason);
    }

    @Test
    void timesMustBeIsoStrings() {
        String event = "{\"type\":\"runner-running\",\"jobId\":1,\"attempt\":1,\"nodeId\":\"n1\",\"time\":%s}";
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(String.format(event, "1700000000")));
        assertEquals(RejectionCode.WRONG_TYPE, e.code());
        assertEquals("time", e.field());
        assertTrue(e.getMessage().startsWith("time: expected an ISO-8601 time"),
                e.getMessage());
    }

    @Test
    void halfASurrogatePairIsRefusedButWholeOnesPass() throws Exception {
        var e = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"type\":\"submit-job\",\"submissionId\":\"x\\ud800\",\"spec\":{}}"));
        assertEquals(RejectionCode.MALFORMED, e.code());
        assertEquals("submissionId", e.field());
        assertEquals("field 'submissionId' contains half a UTF-16 surrogate pair (\\ud800), which is not a character",
                e.getMessage());
        assertEquals("spec.environment.A", assertThrows(ProtocolException.class, () -> MessageCodec.decode(
                "{\"type\":\"submit-job\",\"spec\":{\"environment\":{\"A\":\"\\udc00\"}}}")).field());
        var ok = (ClientRequest.SubmitJob) MessageCodec.decode(
                "{\"type\":\"submit-job\",\"submissionId\":\"\\ud83d\\ude00\",\"spec\":{}}");
        assertEquals("\ud83d\ude00", ok.submissionId());
    }

    @Test
    void aNullInsideAListOrTheEnvironmentIsNamedByTheValidator() throws Exception {
        String submit = "{\"type\":\"submit-job\",\"spec\":{\"user\":\"alice\",\"script\":\"#!/bin/sh\\n\","
                + "\"workDir\":\"/tmp\",%s}}";
        String[][] cases = {
                {"\"args\":[null]", "spec.args[0]", "must be a string, not null"},
                {"\"environment\":{\"A\":\"1\",\"B\":null}", "spec.environment.B", "must be a string, not null"},
                {"\"nodelist\":[\"h1\",null]", "spec.nodelist[1]", "must be a host name or hostlist expression"},
                {"\"exclude\":[null]", "spec.exclude[0]", "must be a host name or hostlist expression"}};
        for (String[] c : cases) {
            var request = (ClientRequest.SubmitJob) MessageCodec.decode(submit.formatted(c[0]));
            List<JobSpecValidator.Problem> problems = JobSpecValidator.validate(request);
            assertEquals(List.of(c[1]), problems.stream().map(JobSpecValidator.Problem::field).toList(), c[0]);
            assertTrue(problems.get(0).message().startsWith(c[2]), problems.toString());
        }
    }

    private static RejectionCode code(String json) {
        return assertThrows(ProtocolException.class, () -> MessageCodec.decode(json)).code();
    }

    private static void assertReasonStarts(String expected, String json) {
        String reason = reason(json);
        assertTrue(reason.startsWith(expected) && !reason.equals(expected), json + ": " + reason);
    }

    private static void assertReason(String expected, String json) {
        assertEquals(expected, reason(json));
    }

    private static String reason(String json) {
        return assertThrows(ProtocolException.class, () -> MessageCodec.decode(json)).getMessage();
    }
}
