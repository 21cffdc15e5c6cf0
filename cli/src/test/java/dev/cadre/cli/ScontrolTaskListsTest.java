package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.wire.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How scontrol reports the tasks of a list the scheduler did not change: a line per range, in Slurm's words. */
class ScontrolTaskListsTest {
    @Test
    void eachTaskNotChangedIsReportedARangePerLineByWhy() {
        Json answer = Json.parse("""
                {"type": "control-result", "jobId": 12, "ok": true, "state": "PENDING", "changed": "2,5-8",
                 "missing": "20-21", "ended": "0", "refused": [
                   {"tasks": "1,3-4", "state": "RUNNING",
                    "reason": "job 12_[1,3-4] is RUNNING; only pending jobs can be held"},
                   {"tasks": "9", "state": "COMPLETING",
                    "reason": "job 12_9 is COMPLETING; only pending jobs can be held"}]}
                """);
        assertEquals(List.of("Job is no longer pending execution for job 12_1",
                "Job is no longer pending execution for job 12_[3-4]",
                "Job/step already completing or completed for job 12_9",
                "Job has already finished for job 12_0",
                "Invalid job id specified for job 12_[20-21]"), ScontrolTaskLists.report("hold", 12, answer));
    }

    @Test
    void aRequeueOfPendingTasksAndAReleaseOfTasksNotHeldAreWordedAsForOneJob() {
        assertEquals(List.of("Job is pending execution for job 7_[2-3]"), ScontrolTaskLists.report("requeue", 7,
                Json.parse("{\"ok\": false, \"refused\": [{\"tasks\": \"2-3\", \"state\": \"PENDING\","
                        + " \"reason\": \"job 7_[2-3] is PENDING; only a running job can be requeued\"}]}")));
        assertEquals(List.of("job 7_4 is not held for job 7_4"), ScontrolTaskLists.report("release", 7,
                Json.parse("{\"ok\": false, \"refused\": [{\"tasks\": \"4\", \"state\": \"PENDING\","
                        + " \"reason\": \"job 7_4 is not held\"}]}")));
        assertEquals(List.of(), ScontrolTaskLists.report("hold", 7, Json.parse("{\"ok\": true, \"changed\": \"1-9\","
                + " \"missing\": null, \"ended\": null, \"refused\": null}")));
    }

    @Test
    void tasksAnAnswerHadNoRoomToNameAreReportedByCount() {
        Json answer = Json.parse("""
                {"type": "control-result", "jobId": 12, "ok": true, "state": "PENDING", "changed": "2",
                 "ended": "0,5", "omitted": {"changed": 40, "ended": 812000}, "refused": [
                   {"tasks": "1", "state": "RUNNING", "omitted": 3,
                    "reason": "job 12_[1,...] (4 tasks) is RUNNING; only pending jobs can be held"}]}
                """);
        assertEquals(List.of("Job is no longer pending execution for job 12_1",
                "Job is no longer pending execution for 3 more tasks of job 12 (too many to name in one answer;"
                        + " 'sacct -j 12' lists every task)",
                "Job has already finished for job 12_0", "Job has already finished for job 12_5",
                "Job has already finished for 812000 more tasks of job 12 (too many to name in one answer;"
                        + " 'sacct -j 12' lists every task)"), ScontrolTaskLists.report("hold", 12, answer));
    }
}
