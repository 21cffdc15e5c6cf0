package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How scontrol words the API's refusals. */
class ScontrolCommandTest {

    @Test
    void scontrolWordsARefusalAsSlurmDoesByTheJobsState() {
        assertEquals("Invalid job id specified", ScontrolCommand.refusal("hold",
                new RestClient.ClientException(404, "job 9 does not exist")));
        assertEquals("Job is no longer pending execution", ScontrolCommand.refusal("update",
                new RestClient.ClientException(409, "job 9 is RUNNING; only pending jobs can be updated", "RUNNING")));
        assertEquals("Job is pending execution", ScontrolCommand.refusal("requeue",
                new RestClient.ClientException(409, "only a running job can be requeued", "PENDING")));
        assertEquals("Job has already finished", ScontrolCommand.refusal("release",
                new RestClient.ClientException(409, "job 9 is unknown or already finished", null)));
        assertEquals("Job/step already completing or completed", ScontrolCommand.refusal("requeue",
                new RestClient.ClientException(409, "job 9 is COMPLETING", "COMPLETING")));
        assertEquals("job 9 is not held", ScontrolCommand.refusal("release",
                new RestClient.ClientException(409, "job 9 is not held", "PENDING")));
    }
}
