package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmJobId;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What scontrol's job commands (hold, release, requeue, update, suspend, resume, ...) share: reading the job ids they
 * are given, posting one job's request, and saying a refusal in slurmctld's words.
 */
final class ScontrolJobRequests {
    private ScontrolJobRequests() {
    }

    /**
     * The job ids the arguments list, each JOBID[,JOBID...] with or without JobId=, added to {@code named}; one
     * malformed is said on err in Slurm's words, naming a task list ("12_[3-1]") with what is wrong with it.
     *
     * @return 1 when any was malformed, else 0
     */
    static int named(PrintStream err, List<String> args, List<SlurmJobId> named) {
        int rc = 0;
        for (String arg : args) {
            String list = arg.replaceFirst("(?i)^(JobId|Job)=", "");
            try {
                named.addAll(SlurmJobId.list(list));
            } catch (IllegalArgumentException e) {
                err.println("Invalid job id specified for job " + (e.getMessage().indexOf(':') > 0 ? e.getMessage()
                        : list));
                rc = 1;
            }
        }
        return rc;
    }

    /**
     * @return 0 when done, 1 when refused (said on {@code err}), or left unanswered however long it was tried: then
     *         said to be perhaps carried out later
     */
    static int post(PrintStream err, PatientControl rest, SlurmJobId id, String action, Map<String, Object> body)
            throws RestClient.ClientException {
        try {
            rest.post("/api/jobs/" + id + "/" + action, body);
            return 0;
        } catch (RestClient.ClientException e) {
            if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                throw e;
            }
            err.println(refusal(action, e) + " for job " + id
                    + e.mayStillBeCarriedOut("'scontrol show job " + id + "' or squeue"));
            return 1;
        }
    }

    /** Slurm's words for why a job was not changed, chosen by the state the scheduler reported. */
    static String refusal(String action, RestClient.ClientException e) {
        return refusal(action, e.status, e.state, e.getMessage());
    }

    /** @param state the job's state the scheduler reported, or null; reason its words, said when Slurm has none */
    static String refusal(String action, int status, String state, String reason) {
        if (status == 404) {
            return "Invalid job id specified";
        }
        if (status != 409) {
            return reason;
        }
        if (action.equals("suspend") || action.equals("resume")) {
            return ScontrolSuspend.refusal(action, state == null ? "COMPLETED" : state, reason);
        }
        // The scheduler keeps unfinished jobs only: one it does not know has ended.
        return switch (state == null ? "COMPLETED" : state) {
            case "COMPLETING" -> "Job/step already completing or completed";
            case "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "DEADLINE" ->
                    "Job has already finished";
            case "RUNNING" -> "Job is no longer pending execution";
            default -> action.equals("requeue") ? "Job is pending execution" : reason;
        };
    }
}
