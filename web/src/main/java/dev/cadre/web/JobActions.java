package dev.cadre.web;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArraySpec;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ControlRequestValidator;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.SignalNames;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /api/jobs/{id}/{action}: scancel (with --signal too) and scontrol's hold, release, requeue, update, suspend,
 * resume and top ({@link QueueTopAction}),
 * carried out by the scheduler like any other client's request. The id is "12" or "12_3"; the task may also be
 * given as "taskId" in the body, and cancel, hold, release and requeue take a task list as "tasks". A job that was
 * never stored is 404; one the scheduler will not change (it has ended, is not held, is not running) is 409 with the
 * scheduler's reason. An action with a task list is 200 whenever the job is known, its answer saying what became of
 * each task (cancel's cancelled, missing and ended; the others' changed, missing, ended and refused). The
 * Idempotency-Key header becomes the request's requestId: sent again under it, the action is carried out once.
 */
final class JobActions {
    /** The actions, as a pattern of the path's last part. */
    static final String ACTIONS = "cancel|hold|release|requeue|update|signal|suspend|resume|top";
    static final Map<String, Set<String>> FIELDS = Map.of(
            "cancel", Set.of("taskId", "tasks", "user"),
            "hold", Set.of("taskId", "tasks", "admin"),
            "release", Set.of("taskId", "tasks", "admin"),
            "requeue", Set.of("taskId", "tasks", "hold"),
            "update", Set.of("taskId", "timeLimitSeconds", "timeLimitChangeSeconds", "priority", "nice", "name",
                    "arrayTaskThrottle", "beginTime", "dependency", "deadline", "mailType", "mailUser",
                    "reservation"),
            "signal", Set.of("taskId", "signal", "batchOnly"),
            "suspend", Set.of("taskId"),
            "resume", Set.of("taskId"),
            "top", Set.of("then", "user", "operator"));

    private final JobLookup lookup;
    private final SchedulerRequests scheduler;

    JobActions(JobLookup lookup, SchedulerRequests scheduler) {
        this.lookup = lookup;
        this.scheduler = scheduler;
    }

    /** @return the scheduler's cancel-result or control-result when it carried the action out */
    /** @param key the request's Idempotency-Key, or null */
    ClientReply perform(String id, String action, String body, String key) throws Exception {
        ActionBody fields = ActionBody.parse(body, action, FIELDS.get(action));
        if (action.equals("top")) {
            return QueueTopAction.perform(lookup, scheduler, JobReference.parse(id).orElseThrow(), fields, key);
        }
        JobReference ref = target(JobReference.parse(id).orElseThrow(), fields.taskId());
        JobRecord job = lookup.require(ref);
        ClientRequest request = switch (action) {
            case "cancel" -> new ControlRequest.CancelJob(ref.jobId(), ref.taskId(), tasks(ref, fields),
                    canceller(fields), key);
            case "hold" -> new ControlRequest.HoldJob(ref.jobId(), ref.taskId(), tasks(ref, fields),
                    fields.flag("admin"), key);
            case "release" -> new ControlRequest.ReleaseJob(ref.jobId(), ref.taskId(), tasks(ref, fields),
                    fields.flag("admin"), key);
            case "requeue" -> new ControlRequest.RequeueJob(ref.jobId(), ref.taskId(), tasks(ref, fields),
                    fields.flag("hold"), key);
            case "signal" -> signal(ref, fields, key);
            case "suspend" -> new ControlRequest.SuspendJob(ref.jobId(), ref.taskId(), key);
            case "resume" -> new ControlRequest.ResumeJob(ref.jobId(), ref.taskId(), key);
            default -> update(ref, job.spec(), fields, key);
        };
        ClientReply reply = scheduler.send(request);
        if (reply instanceof ClientReply.CancelResult c) {
            // A task list is answered whole: which tasks went, which had ended and which did not exist.
            if (!c.ok() && c.missing() == null && c.ended() == null) {
                throw new ApiException(409, c.reason(), null, c.state());
            }
            return c;
        }
        if (reply instanceof ClientReply.ControlResult c) {
            if (!c.ok() && !c.perTask()) {
                throw new ApiException(409, c.reason(), null, c.state());
            }
            return c;
        }
        throw SchedulerRequests.unexpected(reply);
    }

    /**
     * "tasks": several tasks of the array in the path, in --array syntax ("0-2999", "1,5-7"), acted on in one
     * request; ArrayIndexes bounds the list (10,000 characters, a million tasks).
     */
    private static ArrayIndexes tasks(JobReference ref, ActionBody fields) throws ApiException {
        String text = fields.text("tasks");
        if (text == null) {
            return null;
        }
        if (ref.taskId() != null) {
            throw new ApiException(400, "'tasks' lists tasks of the array in the path, which names task "
                    + ref + " already; give the array's id", "tasks");
        }
        try {
            return ArrayIndexes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "'tasks' " + e.getMessage() + "; it is a task list as --array takes it,"
                    + " e.g. 0-2999 or 1,5-7", "tasks");
        }
    }

    /**
     * Who cancels, as the body says (scancel sends its caller's name): the API has one token for everyone and knows
     * no caller of its own, so a body without "user" cancels naming nobody. Checked here, as the scheduler would,
     * so that a bad name is a 400 naming the field, not a refused 409.
     */
    private static String canceller(ActionBody fields) throws ApiException {
        String user = fields.text("user");
        if (user != null && !JobSpecValidator.isUserName(user)) {
            throw new ApiException(400, "'user' " + JobSpecValidator.USER_RULE + " (at most 64)", "user");
        }
        return user;
    }

    /** The scheduler's own check (SignalNames), made here so that a bad signal is a 400, not a refused 409. */
    static ControlRequest.SignalJob signal(JobReference ref, ActionBody fields, String key) throws ApiException {
        String signal = fields.text("signal");
        String problem = SignalNames.problem(signal);
        if (problem != null) {
            throw new ApiException(400, problem, "signal");
        }
        return new ControlRequest.SignalJob(ref.jobId(), ref.taskId(), signal.startsWith("SIG") ? signal.substring(3)
                : signal, fields.flag("batchOnly"), key);
    }

    /** The task named in the path or in the body; in both only when they agree. */
    private static JobReference target(JobReference path, Integer bodyTask) throws ApiException {
        if (bodyTask == null) {
            return path;
        }
        if (path.taskId() != null && !path.taskId().equals(bodyTask)) {
            throw new ApiException(400, "taskId " + bodyTask + " contradicts the job id " + path + " in the path",
                    "taskId");
        }
        return path.withTask(bodyTask);
    }

    /**
     * The scheduler stores what an update gives as it is, so the limits a submission must keep are checked
     * here, on the job's spec as it would become. A change to each job's own limit (timeLimitChangeSeconds) is
     * checked by the scheduler, against each record it changes: an array's tasks may each have their own.
     */
    static ControlRequest.UpdateJob update(JobReference ref, JobSpec spec, ActionBody fields, String key)
            throws ApiException {
        Long limit = fields.whole("timeLimitSeconds", Long.MIN_VALUE, Long.MAX_VALUE);
        long most = JobSpecValidator.MAX_TIME_LIMIT_SECONDS;
        Long change = fields.whole("timeLimitChangeSeconds", -most, most);
        if (limit != null && change != null) {
            throw new ApiException(400, "give timeLimitSeconds (the new limit) or timeLimitChangeSeconds (a change"
                    + " to each job's own), not both", "timeLimitChangeSeconds");
        }
        // -1 asks for the computed priority again.
        Long priority = fields.whole("priority", -1, Long.MAX_VALUE);
        Long nice = fields.whole("nice", Integer.MIN_VALUE, Integer.MAX_VALUE);
        String name = fields.text("name");
        Long throttle = fields.whole("arrayTaskThrottle", 0, ArraySpec.MAX_THROTTLE);
        Instant begin = instant(fields, "beginTime");
        String dependency = fields.text("dependency");
        Instant deadline = instant(fields, "deadline");
        List<String> mailType = fields.has("mailType") ? fields.texts("mailType") : null;
        String mailUser = fields.text("mailUser");
        String reservation = fields.text("reservation");
        if (limit == null && change == null && priority == null && nice == null && name == null && throttle == null
                && begin == null && dependency == null && deadline == null && mailType == null && mailUser == null
                && reservation == null) {
            throw new ApiException(400, "nothing to update: give timeLimitSeconds, timeLimitChangeSeconds, priority,"
                    + " nice, name, arrayTaskThrottle, beginTime, dependency, deadline, mailType, mailUser or"
                    + " reservation");
        }
        JobSpec.Builder changed = spec.toBuilder();
        if (limit != null) {
            changed.timeLimitSeconds(limit);
        }
        if (priority != null) {
            changed.priority(priority < 0 ? null : priority);
        }
        if (nice != null) {
            changed.nice(nice.intValue());
        }
        if (name != null) {
            changed.name(name);
        }
        if (dependency != null) {
            changed.dependency(dependency.isEmpty() ? null : dependency);
        }
        if (deadline != null) {
            changed.deadline(deadline);
        }
        if (reservation != null) {
            changed.reservation(reservation.isEmpty() ? null : reservation);
        }
        for (JobSpecValidator.Problem p : JobSpecValidator.validate(changed.build())) {
            String field = p.field().replaceFirst("^spec\\.", "");
            if (fields.has(field)) {
                throw new ApiException(400, "'" + field + "' " + p.message(), field);
            }
        }
        ControlRequest.UpdateJob request = new ControlRequest.UpdateJob(ref.jobId(), ref.taskId(), limit, priority,
                nice == null ? null : nice.intValue(), name, change, key, throttle == null ? null : throttle.intValue(),
                begin, dependency, deadline, mailType, mailUser, reservation);
        String mail = ControlRequestValidator.problem(request);
        if (mail != null) {
            String field = mail.startsWith("mailUser") ? "mailUser" : "mailType";
            throw new ApiException(400, mail, field);
        }
        // Whether the job is an array, a dependency's jobs, whether a deadline has passed and whether a reservation
        // is there and admits the job's user, the scheduler judges (409 with its reason).
        return request;
    }

    /** An ISO-8601 instant ("2026-11-21T12:00:00Z"), as every time on the wire is; null when absent. */
    private static Instant instant(ActionBody fields, String field) throws ApiException {
        String text = fields.text(field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "'" + field + "' must be a time such as 2026-11-21T12:00:00Z; got '" + text
                    + "'", field);
        }
    }
}
