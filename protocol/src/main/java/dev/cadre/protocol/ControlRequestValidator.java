package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The field rules of the control requests ({@link ControlRequest}) that the scheduler checks before it acts,
 * and the REST API before it sends: each names the field at fault, or answers null when the request can be carried
 * out as sent. Pure.
 */
public final class ControlRequestValidator {
    /** A drain's reason: room for a sentence or a ticket reference; sinfo -R prints the first 20 characters anyway. */
    public static final int MAX_DRAIN_REASON = 1000;
    /** How many jobs one scontrol top may name. */
    public static final int MAX_TOP_JOBS = 1000;

    private ControlRequestValidator() {
    }

    /**
     * Why a drain cannot take this reason, naming the field, or null: one is required, not blank, at most
     * {@link #MAX_DRAIN_REASON} characters, and free text by {@link PrintableText}'s rule, as sinfo -R, scontrol show
     * node and the status page print it to everyone.
     */
    public static String drainReasonProblem(String reason) {
        if (reason == null || reason.isBlank()) {
            return "reason: is required to drain a node (Reason=...)";
        }
        if (reason.length() > MAX_DRAIN_REASON) {
            return "reason: is " + reason.length() + " characters long; at most " + MAX_DRAIN_REASON
                    + " are allowed";
        }
        return PrintableText.problem(reason).map(why -> "reason: " + why).orElse(null);
    }

    /**
     * Why a cancel cannot be carried out as sent, or null. The user is printed by sacct ("CANCELLED by"), so it takes
     * a job's user-name rule, as drain-node's does: one line, bounded; null when the client does not say.
     */
    public static String problem(ControlRequest.CancelJob r) {
        return r.user() != null && !JobSpecValidator.isUserName(r.user()) ? "user " + JobSpecValidator.USER_RULE
                : null;
    }

    /**
     * Why an update-job's mail fields or reservation cannot be taken, naming the field, or null: a submission's rules
     * for them ({@link MailFieldsValidator}, a reservation's name), but for an empty mailUser, which gives the mail
     * back to the job's user, and an empty reservation, which takes the job out of its own.
     */
    public static String problem(ControlRequest.UpdateJob r) {
        List<JobSpecValidator.Problem> found = new ArrayList<>();
        String user = r.mailUser() == null || r.mailUser().isEmpty() ? null : r.mailUser();
        MailFieldsValidator.check(found, "", r.mailType(), user);
        if (r.reservation() != null && !r.reservation().isEmpty()) {
            ReservationValidator.name(r.reservation()).ifPresent(p -> found.add(new JobSpecValidator.Problem(
                    "reservation", p.message())));
        }
        return found.isEmpty() ? null : found.stream().map(p -> p.field() + ": " + p.message())
                .collect(Collectors.joining("; "));
    }

    /** Why a top-jobs cannot be carried out as sent, or null: 1 to {@link #MAX_TOP_JOBS} job ids and a user name. */
    public static String problem(ControlRequest.TopJobs r) {
        if (r.jobs() == null || r.jobs().isEmpty() || r.jobs().size() > MAX_TOP_JOBS) {
            return "jobs must name 1 to " + MAX_TOP_JOBS + " jobs";
        }
        for (ControlRequest.TopJobs.Target t : r.jobs()) {
            if (t == null || t.jobId() <= 0 || t.taskId() != null && t.taskId() < 0) {
                return "jobs names " + t + ", which is no job id";
            }
        }
        return r.user() == null || !JobSpecValidator.isUserName(r.user()) ? "user " + JobSpecValidator.USER_RULE
                : null;
    }
}
