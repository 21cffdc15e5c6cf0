package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** place-jobs and runner-events: what they hold survives the wire, and a malformed batch is refused whole. */
class BatchMessagesTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final String RUNNING = "{\"type\":\"runner-running\",\"jobId\":1,\"attempt\":1,\"nodeId\":\"%s\","
            + "\"time\":\"2026-11-21T10:00:00Z\"}";

    private static ProtocolException refused(String json) {
        return assertThrows(ProtocolException.class, () -> MessageCodec.decode(json));
    }

    private static String runnerEvents(String nodeId, String... events) {
        return "{\"type\":\"runner-events\",\"nodeId\":\"" + nodeId + "\",\"events\":[" + String.join(",", events)
                + "],\"time\":\"2026-11-21T10:00:00Z\"}";
    }

    @Test
    void runnerEventsKeepTheirOrderAndTypes() throws Exception {
        List<RunnerEvent> events = List.of(new RunnerEvent.RunnerRunning(1, 1, "n", T),
                new RunnerEvent.RunnerFailed(2, 1, "n", "no such directory", T),
                new RunnerEvent.RunnerFinished(1, 1, "n", 0, 9, JobState.TIMEOUT, T),
                new RunnerEvent.NodeHeartbeat("n", "host", List.of(), 2, 1024, 0, List.of(), T));
        var batch = new RunnerEvent.RunnerEvents("n", events, T);
        var decoded = assertInstanceOf(RunnerEvent.RunnerEvents.class,
                MessageCodec.decode(MessageCodec.encode(batch), RunnerEvent.class));
        assertEquals(events, decoded.events());
    }

    @Test
    void malformedRunnerEventsAreRefusedWithTheReason() {
        assertEquals("invalid message: events must hold at least one runner event",
                refused(runnerEvents("n")).getMessage());
        assertEquals("invalid message: events[1] is from node 'm', not from the batch's node 'n'",
                refused(runnerEvents("n", RUNNING.formatted("n"), RUNNING.formatted("m"))).getMessage());
        assertEquals("invalid message: events[0] is a runner-events; batches do not nest",
                refused(runnerEvents("n", runnerEvents("n", RUNNING.formatted("n")))).getMessage());
        ProtocolException wrongType = refused(runnerEvents("n",
                "{\"type\":\"kill-job\",\"jobId\":1,\"attempt\":1,\"reason\":\"CANCELLED\"}"));
        assertEquals(RejectionCode.UNKNOWN_TYPE, wrongType.code());
        assertEquals("field 'events[0]' is a message of type 'kill-job', which is not accepted there",
                wrongType.getMessage());
        assertEquals("field 'events[0]' has no 'type' field",
                refused(runnerEvents("n", "{\"jobId\":1}")).getMessage());
        assertEquals("invalid message: nodeId is required",
                refused("{\"type\":\"runner-events\",\"events\":[],\"time\":\"2026-11-21T10:00:00Z\"}").getMessage());
        assertEquals(RejectionCode.WRONG_TYPE, refused("{\"type\":\"runner-events\",\"nodeId\":\"n\",\"events\":"
                + "{},\"time\":\"2026-11-21T10:00:00Z\"}").code());
        List<String> many = Collections.nCopies(RunnerEvent.RunnerEvents.MAX_EVENTS + 1, RUNNING.formatted("n"));
        assertEquals("invalid message: events holds 1001 runner events; the limit is 1000",
                refused(runnerEvents("n", many.toArray(String[]::new))).getMessage());
    }

    @Test
    void aNullInsideOneEntrysSpecRejectsThatEntryAlone() throws Exception {
        String spec = "{\"user\":\"alice\",\"script\":\"#!/bin/sh\\n\",\"workDir\":\"/tmp\"%s}";
        String json = "{\"type\":\"submit-jobs\",\"jobs\":[{\"submissionId\":\"a\",\"spec\":"
                + spec.formatted(",\"args\":[\"x\",null]") + "},{\"submissionId\":\"b\",\"spec\":"
                + spec.formatted("") + "}]}";
        var batch = assertInstanceOf(ClientRequest.SubmitJobs.class, MessageCodec.decode(json));
        assertEquals(List.of(), JobSpecValidator.validateEnvelope(batch));
        assertEquals(List.of(new JobSpecValidator.Problem("spec.args[1]", "must be a string, not null")),
                JobSpecValidator.validate(batch.jobs().get(0).asRequest()));
        assertEquals(List.of(), JobSpecValidator.validate(batch.jobs().get(1).asRequest()));
    }

    @Test
    void placeJobsKeepTheirPlacementsInOrder() throws Exception {
        JobSpec spec = JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").build();
        List<NodeCommand.PlaceJob> placements = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            placements.add(new NodeCommand.PlaceJob(id, 1, spec,
                    new Allocation(List.of(new Allocation.NodeSlots("n", "n", 1, 1, 0, 0))), "t" + id));
        }
        var decoded = assertInstanceOf(NodeCommand.PlaceJobs.class,
                MessageCodec.decode(MessageCodec.encode(new NodeCommand.PlaceJobs(placements)), NodeCommand.class));
        assertEquals(placements, decoded.placements());
    }

    @Test
    void malformedPlaceJobsAreRefusedWithTheReason() {
        assertEquals("invalid message: placements must hold at least one place-job",
                refused("{\"type\":\"place-jobs\",\"placements\":[]}").getMessage());
        assertEquals("invalid message: placements must hold at least one place-job",
                refused("{\"type\":\"place-jobs\"}").getMessage());
        assertEquals("field 'placements[0]' is a message of type 'kill-job', which is not accepted there",
                refused("{\"type\":\"place-jobs\",\"placements\":[{\"type\":\"kill-job\",\"jobId\":1,\"attempt\":1,"
                        + "\"reason\":\"CANCELLED\"}]}").getMessage());
        assertEquals("invalid message: placements holds a null entry",
                refused("{\"type\":\"place-jobs\",\"placements\":[null]}").getMessage());
        assertEquals(RejectionCode.WRONG_TYPE, refused("{\"type\":\"place-jobs\",\"placements\":\"x\"}").code());
    }
}
