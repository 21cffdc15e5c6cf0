package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolNodeUpdate;
import dev.cadre.cli.slurm.ScontrolUpdate;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * scontrol update: of jobs (TimeLimit, Priority, Nice, Name, StartTime, Dependency, Deadline; a time limit, MailType,
 * MailUser and ReservationName of running jobs too; an array's ArrayTaskThrottle, pending or running), and of nodes
 * (NodeName= State=DRAIN|RESUME). What only an operator may ask is refused here in Slurm's words
 * ({@link SlurmOperator}); the scheduler refuses the rest by the job's state, worded by
 * {@link ScontrolCommand#refusal}.
 */
final class ScontrolUpdateCommand {
    /** A scheduler's refusal that names one of these fields: the update was wrong, whatever the job's state. */
    private static final Pattern FIELD_PROBLEM = Pattern.compile(
            "(^|: )(arrayTaskThrottle|beginTime|dependency|deadline|mailType(\\[\\d+])?|mailUser|reservation): ");
    private final PrintStream err;
    private final String config;
    private final Duration patience;

    /** @param patience how long a change the head leaves unanswered is sent again ({@link PatientControl}) */
    ScontrolUpdateCommand(PrintStream err, String config, Duration patience) {
        this.err = err;
        this.config = config;
        this.patience = patience;
    }

    /** @param root the caller is an operator ({@link SlurmOperator}) */
    int run(List<String> args, boolean root) throws RestClient.ClientException {
        if (ScontrolNodeUpdate.namesNodes(args)) {
            return updateNodes(args, root);
        }
        ScontrolUpdate update;
        try {
            update = ScontrolUpdate.parse(args);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        try {
            SlurmOperator.checkJobSettings(root, update.priority(), update.nice(), "slurm_update error");
            SlurmOperator.checkDeadline(root, update.deadline(), "slurm_update error");
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        putIfSet(body, "timeLimitSeconds", update.timeLimitSeconds());
        putIfSet(body, "priority", update.priority());
        putIfSet(body, "nice", update.nice());
        putIfSet(body, "name", update.name());
        putIfSet(body, "arrayTaskThrottle", update.arrayTaskThrottle());
        putIfSet(body, "beginTime", update.beginTime() == null ? null : update.beginTime().toString());
        putIfSet(body, "dependency", update.dependency());
        putIfSet(body, "deadline", update.deadline() == null ? null : update.deadline().toString());
        putIfSet(body, "mailType", update.mailType());
        putIfSet(body, "mailUser", update.mailUser());
        putIfSet(body, "reservation", update.reservation());
        RestClient rest = RestClient.fromConfig(config);
        PatientControl control = PatientControl.over(rest, err, "scontrol", patience);
        int rc = 0;
        for (SlurmJobId id : update.jobs()) {
            rc |= update.changesTimeLimit() ? updateTimeLimit(rest, control, id, update, root, body)
                    : post(control, id, body);
        }
        return rc;
    }

    /**
     * An update with a time limit: a relative one goes as the change, applied to each record's own limit; relative
     * ones, and a user's, are checked against each record's limit first ({@link JobTimeLimit}).
     */
    private int updateTimeLimit(RestClient rest, PatientControl control, SlurmJobId id, ScontrolUpdate update,
            boolean root, Map<String, Object> body) throws RestClient.ClientException {
        Map<String, Object> withLimit = new LinkedHashMap<>(body);
        try {
            withLimit.remove("timeLimitSeconds");
            withLimit.putAll(JobTimeLimit.of(rest, id, update, root));
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        } catch (RestClient.ClientException e) {
            if (e.status == 0) {
                throw e;
            }
            err.println(ScontrolJobRequests.refusal("update", e) + " for job " + id);
            return 1;
        }
        return post(control, id, withLimit);
    }

    /**
     * As {@link ScontrolCommand#post}, but a refusal of a throttle, begin time or dependency (the scheduler's reason
     * names the field) is said as it is: the job's state is not why, and "Job is no longer pending execution" for a
     * running array given a throttle would say something false. A dependency's is Slurm's "Job dependency problem",
     * a deadline's "Invalid time specified", then the scheduler's reason.
     */
    private int post(PatientControl control, SlurmJobId id, Map<String, Object> body)
            throws RestClient.ClientException {
        try {
            control.post("/api/jobs/" + id + "/update", body);
            return 0;
        } catch (RestClient.ClientException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage();
            if (e.status != 409 || !FIELD_PROBLEM.matcher(reason).find()) {
                if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                    throw e;
                }
                err.println(ScontrolJobRequests.refusal("update", e) + " for job " + id
                        + e.mayStillBeCarriedOut("'scontrol show job " + id + "' or squeue"));
                return 1;
            }
            if (reason.contains("dependency: ")) {
                err.println("slurm_update error: Job dependency problem for job " + id);
            } else if (reason.contains("deadline: ")) {
                err.println("slurm_update error: Invalid time specified for job " + id);
            } else if (reason.contains("reservation: ")) {
                err.println("slurm_update error: " + reservationRefusal(reason) + " for job " + id);
            }
            err.println("slurm_update error: " + reason);
            return 1;
        }
    }

    /**
     * Slurm's words for the head's refusal of a ReservationName= (slurmctld's _update_job): the job's state
     * (ESLURM_JOB_NOT_PENDING_NOR_RUNNING), a user the reservation does not admit (ESLURM_RESERVATION_ACCESS), else
     * a name it has not or could not have (ESLURM_RESERVATION_INVALID).
     */
    static String reservationRefusal(String reason) {
        if (reason.contains("only a pending or running job changes its reservation")) {
            return "Job is not pending nor running";
        }
        return reason.contains(" does not admit user ") ? "Access denied to requested reservation"
                : "Requested reservation is invalid";
    }

    /** Drains or resumes nodes: for an operator ({@link SlurmOperator}), as only an administrator may in Slurm. */
    private int updateNodes(List<String> args, boolean root) throws RestClient.ClientException {
        ScontrolNodeUpdate update;
        try {
            update = ScontrolNodeUpdate.parse(args);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        String me = System.getProperty("user.name");
        if (!root) {
            err.println("slurm_update error: Access/permission denied (only root or the head's owner may drain or"
                    + " resume a node)");
            return 1;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (update.drain()) {
            body.put("reason", update.reason());
        }
        body.put("user", me);
        PatientControl rest = PatientControl.over(RestClient.fromConfig(config), err, "scontrol", patience);
        int rc = 0;
        for (String node : update.nodes()) {
            try {
                rest.post("/api/nodes/" + node + (update.drain() ? "/drain" : "/resume"), body);
            } catch (RestClient.ClientException e) {
                if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                    throw e;
                }
                err.println(e.status == 404 ? "slurm_update error: Invalid node name specified (" + node + ")"
                        : "slurm_update error: " + e.getMessage() + " for node " + node
                        + e.mayStillBeCarriedOut("'scontrol show node " + node + "' or sinfo"));
                rc = 1;
            }
        }
        return rc;
    }

    private static void putIfSet(Map<String, Object> body, String field, Object value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
