package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSubmission;
import dev.cadre.protocol.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log's line for a request the scheduler failed on names the request, never what the user sent in it. */
class RequestSummaryTest {
    private static final String SECRET = "hunter2";
    private static final JobSpec SPEC = JobSpec.builder().name("deploy " + SECRET).user("alice")
            .script("#!/bin/sh\ncurl -u admin:" + SECRET + " https://example.org\n").args(List.of("--token", SECRET))
            .environment(Map.of("API_TOKEN", SECRET, "HOME", "/home/alice")).workDir("/tmp").build();

    @Test
    void aSubmissionIsNamedByItsIdUserAndSizes() {
        String line = RequestSummary.of(new ClientRequest.SubmitJob("sub-7", SPEC));
        assertEquals("submit-job submissionId=sub-7 user=alice script of " + SPEC.script().length()
                + " characters 2 arguments 2 environment variables", line);
    }

    @Test
    void aTrialJobAndABatchShowNothingTheUserSent() {
        assertEquals("forecast-starts of a trial job user=alice script of " + SPEC.script().length()
                + " characters 2 arguments 2 environment variables",
                RequestSummary.of(new ClientRequest.ForecastStarts(SPEC)));
        assertEquals("forecast-starts of the pending jobs", RequestSummary.of(new ClientRequest.ForecastStarts()));
        JobSpec bob = SPEC.toBuilder().user("bob").script("#!/bin/sh\n").build();
        assertEquals("submit-jobs of 3 jobs submissionIds=a..c users=[alice, bob] scripts of "
                + (2 * SPEC.script().length() + 10) + " characters in all", RequestSummary.of(
                        new ClientRequest.SubmitJobs(List.of(new JobSubmission("a", SPEC), new JobSubmission("b",
                                bob), new JobSubmission("c", SPEC)))));
        String service = RequestSummary.of(new ClientRequest.CreateService(new ServiceSpec("web", 2, SPEC, null)));
        assertEquals("create-service service=web replicas=2 user=alice script of " + SPEC.script().length()
                + " characters 2 arguments 2 environment variables", service);
    }

    @Test
    void controlRequestsNameTheirTargetsAndKeys() {
        assertEquals("cancel-job jobId=12 tasks=3000 ids user=alice requestId=r-1", RequestSummary.of(
                new ControlRequest.CancelJob(12, null, ArrayIndexes.parse("0-2999"), "alice", "r-1")));
        assertEquals("update-job jobId=12 taskId=4 changing [timeLimitSeconds, name, dependency] requestId=null",
                RequestSummary.of(new ControlRequest.UpdateJob(12, 4, 60L, null, null, "renamed " + SECRET, null,
                        null, null, null, "afterok:" + SECRET, null)));
        assertEquals("drain-node node=n1 user=root reason of 25 characters requestId=k", RequestSummary.of(
                new ControlRequest.DrainNode("n1", "ticket 4711: " + SECRET + " leak", "root", "k")));
        assertEquals("top-jobs 2 jobs from 5_1 user=alice operator=false requestId=null", RequestSummary.of(
                new ControlRequest.TopJobs(List.of(new ControlRequest.TopJobs.Target(5, 1),
                        new ControlRequest.TopJobs.Target(6, null)), "alice", false)));
        assertEquals("exec-grant jobId=3 user=alice", RequestSummary.of(new ClientRequest.ExecGrant(3, "alice")));
        assertEquals("signal-job jobId=3 signal=USR1 requestId=null",
                RequestSummary.of(new ControlRequest.SignalJob(3, null, "USR1", false)));
    }

    @Test
    void whatAClientChoseStaysOneShortLine() {
        String line = RequestSummary.of(new ClientRequest.SubmitJob("\u001b]0;owned\u0007" + "x".repeat(100),
                SPEC.toBuilder().user("a\nb").build()));
        assertFalse(line.contains("\u001b") || line.contains("\n") || line.contains(SECRET), line);
        assertEquals("submit-job submissionId=?]0;owned?" + "x".repeat(54) + "...(110 characters) user=a?b",
                line.substring(0, line.indexOf(" script")));
        assertEquals("resume-job jobId=1 requestId=null", RequestSummary.of(new ControlRequest.ResumeJob(1, null)));
    }
}
