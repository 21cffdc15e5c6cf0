package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmJobId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * scontrol suspend|resume JOBID[,JOBID...] over the REST API (POST /api/jobs/{id}/suspend and resume): an operator's
 * ({@link SlurmOperator}), as only an operator, administrator, SlurmUser or root may in Slurm; anyone else is refused
 * each job named, in slurmctld's words. A task list is sent a task at a time, as scontrol sends each job id; only
 * running tasks can be suspended anyway. Refusals are said on stderr and make the exit code 1.
 */
final class ScontrolSuspend {
    private final PrintStream err;
    private final String config;
    private final Duration patience;

    /** @param patience how long a change the head leaves unanswered is sent again ({@link PatientControl}) */
    ScontrolSuspend(PrintStream err, String config, Duration patience) {
        this.err = err;
        this.config = config;
        this.patience = patience;
    }

    /**
     * @param typed the command word as typed, for Slurm's "too few arguments for keyword:"
     * @param action "suspend" or "resume"
     * @param root the caller is an operator
     */
    int run(String typed, List<String> args, String action, boolean root) throws RestClient.ClientException {
        if (args.isEmpty()) {
            err.println("too few arguments for keyword:" + typed);
            return 1;
        }
        List<SlurmJobId> named = new ArrayList<>();
        int rc = ScontrolJobRequests.named(err, args, named);
        if (!root) {
            // slurmctld refuses each job; nothing need reach the head.
            named.forEach(id -> err.println("Access/permission denied for job " + id));
            return named.isEmpty() ? rc : 1;
        }
        PatientControl rest = PatientControl.over(RestClient.fromConfig(config), err, "scontrol", patience);
        for (SlurmJobId id : named) {
            rc |= ScontrolJobRequests.post(err, rest, id, action, Map.of());
        }
        return rc;
    }

    /**
     * slurmctld's job_suspend errors, by the state the job is in; a running job its node has not yet confirmed is
     * refused a suspend in the scheduler's words.
     */
    static String refusal(String action, String state, String reason) {
        return switch (state) {
            case "PENDING", "REQUEUED" -> "Job is pending execution";
            case "RUNNING" -> action.equals("resume") ? "Job is not suspended" : reason;
            default -> "Job/step already completing or completed";
        };
    }
}
