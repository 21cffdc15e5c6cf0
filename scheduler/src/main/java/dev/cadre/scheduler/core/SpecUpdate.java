package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArraySpec;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ControlRequestValidator;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.MailType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An scontrol update, checked before it changes anything: the spec it makes must keep every limit a submission
 * keeps. A relative time limit ({@code TimeLimit+=}) changes each job's own limit, so each task of an array is
 * checked and changed on its own. The web checks too, but an update-job sent over JMS, AMQP or STOMP comes here as sent, and a time limit
 * of 4e18 seconds (time arithmetic overflows), a negative one (the job jumps the backfill reservation) or a name
 * that takes a %x output path out of the working directory would otherwise be stored and acted on.
 */
record SpecUpdate(ControlRequest.UpdateJob request) {

    /** The spec with the update's fields in place of its own; absent fields are kept. */
    JobSpec applyTo(JobSpec s) {
        JobSpec.Builder b = s.toBuilder();
        if (request.timeLimitSeconds() != null) {
            b.timeLimitSeconds(request.timeLimitSeconds());
        } else if (request.timeLimitChangeSeconds() != null && s.timeLimitSeconds() != null) {
            b.timeLimitSeconds(s.timeLimitSeconds() + request.timeLimitChangeSeconds());
        }
        if (request.priority() != null) {
            b.priority(request.priority() == -1 ? null : request.priority());
        }
        if (request.nice() != null) {
            b.nice(request.nice());
        }
        if (request.name() != null) {
            b.name(request.name());
        }
        if (request.beginTime() != null) {
            b.beginTime(request.beginTime());
        }
        if (request.dependency() != null) {
            // Slurm's Dependency= with nothing after it removes the dependency.
            b.dependency(request.dependency().isEmpty() ? null : request.dependency());
        }
        if (request.deadline() != null) {
            b.deadline(request.deadline());
        }
        return withReservation(withMail(withThrottle(b, s), s)).build();
    }

    /** The new reservation ({@link ReservationMove} judges it): "" takes the job out of its own. */
    private JobSpec.Builder withReservation(JobSpec.Builder b) {
        if (changesReservation()) {
            b.reservation(request.reservation().isEmpty() ? null : request.reservation());
        }
        return b;
    }

    /** Whether it gives a reservation, which pending and running jobs take alike, as slurmctld's update does. */
    boolean changesReservation() {
        return request.reservation() != null;
    }

    /**
     * The new mail fields: an empty mailUser gives the mail back to the job's user, as Slurm's MailUser= does. A job
     * they leave with no mail type keeps no recipient either, as slurmctld's _update_job frees mail_user when the new
     * mail_type is 0 and sets a MailUser= only while the job has a mail type: a later MailType= mails the job's user
     * unless a MailUser= names another again.
     */
    private JobSpec.Builder withMail(JobSpec.Builder b, JobSpec s) {
        if (request.mailType() != null) {
            b.mailType(request.mailType());
        }
        if (request.mailUser() != null) {
            b.mailUser(request.mailUser().isEmpty() ? null : request.mailUser());
        }
        List<String> types = request.mailType() != null ? request.mailType() : s.mailType();
        if (changesMail() && MailType.of(types).isEmpty()) {
            b.mailUser(null);
        }
        return b;
    }

    /**
     * What the update decides beyond the records it changed: new mail types clear the marks of the time-limit shares
     * they name ({@link RetypedMail}), and an array's new throttle is given to its ended records too, which the core
     * no longer holds ({@link Decisions#throttle}).
     *
     * @param named the records the update named, as they were
     * @param done whether the update was carried out
     */
    void decideBeyondRecords(List<JobRecord> named, JobTable jobs, JobMail mail, Decisions d, boolean done) {
        RetypedMail.afterUpdate(named, request.mailType(), jobs, mail, d);
        if (done && changesThrottle()) {
            d.throttle(request.jobId(), request.arrayTaskThrottle());
        }
    }

    /**
     * What a running record takes of the update: the time limit, the mail fields and the reservation when the update
     * changes nothing a running job cannot take, and the array's throttle, which is the whole array's (Slurm changes
     * it on a running array). It keeps its deadline, as slurmctld leaves a running job's deadline as it is, without
     * an error.
     */
    JobSpec forRunning(JobSpec s) {
        // With a limit alone (and maybe a throttle, a deadline or mail), applyTo changes only what a running job takes.
        JobSpec.Builder b = withThrottle(s.toBuilder(), s);
        JobSpec taken = takesLimitWhileRunning() ? applyTo(s)
                : (onlyRunningFields() ? withReservation(withMail(b, s)) : b).build();
        return request.deadline() == null ? taken : taken.toBuilder().deadline(s.deadline()).build();
    }

    /**
     * What a stopping (COMPLETING) record takes of the update: the array's throttle alone, so that a task being
     * requeued starts again under the array's throttle, as Slurm's requeued task counts against its array's one.
     */
    JobSpec forStopping(JobSpec s) {
        return withThrottle(s.toBuilder(), s).build();
    }

    /**
     * Whether running records are named by the update without a refusal: by a time limit, a throttle, mail fields or
     * a deadline (which they leave as it is), with no field only a pending job can take.
     */
    boolean changesRunning() {
        return takesLimitWhileRunning() || changesThrottle()
                || (request.deadline() != null || changesMail() || changesReservation()) && onlyRunningFields();
    }

    /** Whether it gives mail fields, which pending and running jobs take alike, as slurmctld's update does. */
    boolean changesMail() {
        return request.mailType() != null || request.mailUser() != null;
    }

    /** Whether the time limit is the one field besides a throttle or deadline: then running jobs take the limit. */
    boolean takesLimitWhileRunning() {
        return changesLimit() && onlyRunningFields();
    }

    /** Whether the update gives none of the fields only a pending job takes. */
    private boolean onlyRunningFields() {
        return request.priority() == null && request.nice() == null && request.name() == null
                && request.beginTime() == null && request.dependency() == null;
    }

    /** Whether it changes an array's throttle, which only an array's own id may. */
    boolean changesThrottle() {
        return request.arrayTaskThrottle() != null;
    }

    private JobSpec.Builder withThrottle(JobSpec.Builder b, JobSpec s) {
        if (changesThrottle() && s.array() != null) {
            b.array(ArraySpec.withThrottle(s.array(), request.arrayTaskThrottle()));
        }
        return b;
    }

    /**
     * What is wrong with the request whatever job it names, or null: a deadline that has passed is refused, as
     * slurmctld refuses it (Invalid time specified).
     */
    String problem(Instant now) {
        if (!changesLimit() && onlyRunningFields() && !changesThrottle() && request.deadline() == null
                && !changesMail() && !changesReservation()) {
            return "nothing to update: give timeLimitSeconds, timeLimitChangeSeconds, priority, nice, name,"
                    + " beginTime, dependency, arrayTaskThrottle, deadline, mailType, mailUser or reservation";
        }
        String mail = ControlRequestValidator.problem(request);
        if (mail != null) {
            return mail;
        }
        if (request.deadline() != null && request.deadline().isBefore(now)) {
            return "deadline: is " + request.deadline() + ", which has passed";
        }
        Integer throttle = request.arrayTaskThrottle();
        if (throttle != null && (throttle < 0 || throttle > ArraySpec.MAX_THROTTLE)) {
            return "arrayTaskThrottle: is " + throttle + "; give the most tasks that may run at once, 1 to "
                    + ArraySpec.MAX_THROTTLE + ", or 0 for no limit";
        }
        if (request.timeLimitSeconds() != null && request.timeLimitChangeSeconds() != null) {
            return "give timeLimitSeconds (the new limit) or timeLimitChangeSeconds (a change to each job's own),"
                    + " not both";
        }
        Long change = request.timeLimitChangeSeconds();
        if (change != null && Math.abs(change) > JobSpecValidator.MAX_TIME_LIMIT_SECONDS) {
            return "timeLimitChangeSeconds: is " + change + "; a limit changes by at most "
                    + JobSpecValidator.MAX_TIME_LIMIT_SECONDS + " s either way";
        }
        if (request.priority() != null && request.priority() < -1) {
            return "priority: is " + request.priority() + "; give a priority of 0 or more, or -1 to compute it"
                    + " again";
        }
        return null;
    }

    /**
     * What the update would make wrong with this spec, or null. Problems the spec had before (stored by an older
     * version) are not the update's doing and do not refuse it.
     */
    String problem(JobSpec before, boolean running) {
        String relative = running && !takesLimitWhileRunning() ? null : changeProblem(before.timeLimitSeconds());
        if (relative != null) {
            return relative;
        }
        JobSpec after = running ? forRunning(before) : applyTo(before);
        List<JobSpecValidator.Problem> found = new ArrayList<>(JobSpecValidator.validate(after));
        found.removeAll(JobSpecValidator.validate(before));
        if (found.isEmpty()) {
            return null;
        }
        // Named as the request names them: the update's fields, not the spec's.
        return found.stream().map(p -> p.field().replaceFirst("^spec\\.", "") + ": " + p.message())
                .collect(Collectors.joining("; "));
    }

    private boolean changesLimit() {
        return request.timeLimitSeconds() != null || request.timeLimitChangeSeconds() != null;
    }

    /** What is wrong with changing this limit by the request's amount, or null; checked before any sum is made. */
    private String changeProblem(Long current) {
        Long change = request.timeLimitChangeSeconds();
        if (change == null) {
            return null;
        }
        if (current == null) {
            return "timeLimitChangeSeconds: the job has no time limit to change; give timeLimitSeconds";
        }
        long max = JobSpecValidator.MAX_TIME_LIMIT_SECONDS;
        // A stored limit beyond the bounds (stored unchecked by an older version) must not overflow the sum.
        if (current > max || current + change < 1 || current + change > max) {
            return "timeLimitChangeSeconds: " + change + " s on its limit of " + current + " s leaves it outside 1 to "
                    + max + " s";
        }
        return null;
    }
}
