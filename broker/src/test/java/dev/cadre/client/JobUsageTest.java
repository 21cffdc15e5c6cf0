package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head's answers to a usage read as the client takes them, and the whole job's sum. */
class JobUsageTest {
    /** Three nodes: the first with every figure, the second's node-runner from before the newer ones, the third silent. */
    private static final String ANSWER = """
            {"jobId": 42, "attempt": 2, "nodes": [
              {"nodeId": "n1", "hostname": "node1", "coordinator": true, "running": true,
               "usage": {"userCpuMicros": 61520000, "systemCpuMicros": 1240000, "maxRssBytes": 73400320},
               "rssBytes": 70254592, "vmSizeBytes": 312475648, "diskReadBytes": 1048576, "diskWriteBytes": 52428800,
               "pids": [48121, 48133], "time": "2026-11-21T10:05:00.120Z", "error": null, "aLaterField": 1},
              {"nodeId": "n2", "hostname": "node2", "coordinator": false, "running": true,
               "usage": {"userCpuMicros": 1000000, "systemCpuMicros": null, "maxRssBytes": null},
               "rssBytes": 1048576, "pids": [7001], "time": "2026-11-21T10:05:00.130Z", "error": null},
              {"nodeId": "n3", "hostname": "node3", "coordinator": false, "running": false, "usage": null,
               "rssBytes": null, "vmSizeBytes": null, "diskReadBytes": null, "diskWriteBytes": null, "pids": [],
               "time": null, "error": "node node3 did not answer within 5 s"}
            ]}""";

    @Test
    void eachNodesReadingIsTakenAsTheHeadGivesIt() throws Exception {
        JobUsage u = UsageRequests.answer(42, 200, ANSWER);
        assertEquals(42, u.jobId());
        assertEquals(2, u.attempt());
        assertEquals(new JobUsage.NodeReading("n1", "node1", true, true, new ResourceUsage(61_520_000L, 1_240_000L,
                73_400_320L), 70_254_592L, 312_475_648L, 1_048_576L, 52_428_800L, List.of(48121L, 48133L),
                Instant.parse("2026-11-21T10:05:00.120Z"), null), u.nodes().get(0));
        JobUsage.NodeReading old = u.nodes().get(1);
        assertNull(old.vmSizeBytes(), "a node-runner from before the figure");
        assertNull(old.diskReadBytes());
        assertEquals("node node3 did not answer within 5 s", u.nodes().get(2).error());
    }

    @Test
    void theTotalSumsWhatTheNodesThatAnsweredKnowButNotTheirPeaks() throws Exception {
        JobUsage.Total t = UsageRequests.answer(42, 200, ANSWER).total();
        assertEquals(new ResourceUsage(62_520_000L, 1_240_000L, 73_400_320L), t.usage());
        assertEquals(71_303_168L, t.rssBytes());
        assertEquals(312_475_648L, t.vmSizeBytes(), "only the first node knows it");
        assertEquals(1_048_576L, t.diskReadBytes());
        assertEquals(52_428_800L, t.diskWriteBytes());
        assertEquals(3, t.processes());

        JobUsage.Total none = new JobUsage(42, 1, List.of(new JobUsage.NodeReading("n3", "node3", true, false, null,
                null, null, null, null, List.of(), null, "node node3 is DOWN"))).total();
        assertEquals(new JobUsage.Total(null, null, null, null, null, 0), none);
    }

    @Test
    void aRefusalNamesTheJobAndTheHeadsReasonAndANotRunningJobsState() {
        var pending = assertInstanceOf(UsageRefusedException.class, assertThrows(CadreException.class,
                () -> UsageRequests.answer(43, 409, "{\"type\":\"about:blank\",\"status\":409,\"detail\":\"job 43 is"
                        + " PENDING: only a running job's usage can be read; sacct shows what a finished job used\","
                        + "\"state\":\"PENDING\"}")));
        assertEquals("cannot read the usage of job 43: job 43 is PENDING: only a running job's usage can be read;"
                + " sacct shows what a finished job used", pending.getMessage());
        assertEquals(JobState.PENDING, pending.state());
        assertEquals(409, pending.status());
        assertEquals(43, pending.jobId());

        var unknown = assertInstanceOf(UsageRefusedException.class, assertThrows(CadreException.class,
                () -> UsageRequests.answer(44, 404, "{\"status\":404,\"detail\":\"job 44 does not exist\"}")));
        assertEquals("cannot read the usage of job 44: job 44 does not exist", unknown.getMessage());
        assertNull(unknown.state());

        var token = assertThrows(CadreException.class, () -> UsageRequests.answer(45, 403, "{\"detail\":\"x\"}"));
        assertEquals("cannot read the usage of job 45: the head refused the client file's token (HTTP 403 from the"
                + " head)", token.getMessage());
        var garbled = assertThrows(CadreException.class, () -> UsageRequests.answer(45, 500, "<html>"));
        assertEquals("cannot read the usage of job 45: HTTP 500 from the head", garbled.getMessage());
        var notUsage = assertThrows(CadreException.class, () -> UsageRequests.answer(45, 200, "[1, 2]"));
        assertTrue(notUsage.getMessage().startsWith("cannot read the usage of job 45: the head's answer is no usage"),
                notUsage.getMessage());
    }
}
