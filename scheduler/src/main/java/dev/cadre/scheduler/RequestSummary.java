package dev.cadre.scheduler;

import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSubmission;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.PrintableText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What identifies a client request in the head's log, for an operator to find the request a failure came from: its
 * type, ids, idempotency keys, user and jobs, and the size of what it carries, never the contents. A submission's
 * script, arguments and environment (secrets among them, often) and a drain's reason are the user's, not the log's
 * readers'. Values a client chose are shown masked ({@link PrintableText#masked}) and cut short, so that a line of
 * the log stays one line. Pure.
 */
final class RequestSummary {
    /** How many characters of a value a client chose are shown. */
    static final int SHOWN = 64;
    /** How many distinct users of a batch are named. */
    private static final int USERS = 5;

    private RequestSummary() {
    }

    static String of(ClientRequest request) {
        List<String> parts = new ArrayList<>();
        parts.add(MessageCodec.typeName(request));
        if (request instanceof ClientRequest.SubmitJob s) {
            parts.add("submissionId=" + shown(s.submissionId()));
            spec(parts, s.spec());
        } else if (request instanceof ClientRequest.SubmitJobs s) {
            batch(parts, s.jobs());
        } else if (request instanceof ClientRequest.ForecastStarts f) {
            if (f.spec() == null) {
                parts.add("of the pending jobs");
            } else {
                parts.add("of a trial job");
                spec(parts, f.spec());
            }
        } else if (request instanceof ClientRequest.CreateService c) {
            if (c.service() != null) {
                parts.add("service=" + shown(c.service().name()));
                parts.add("replicas=" + c.service().replicas());
                spec(parts, c.service().template());
            }
        } else if (request instanceof ClientRequest.UpdateService u) {
            parts.add("service=" + shown(u.name()));
            parts.add("replicas=" + u.replicas());
            parts.add("maxConsecutiveFailures=" + u.maxConsecutiveFailures());
            parts.add("reset=" + u.resets());
        } else if (request instanceof ClientRequest.DeleteService d) {
            parts.add("service=" + shown(d.name()));
        } else if (request instanceof ClientRequest.ExecGrant g) {
            parts.add("jobId=" + g.jobId());
            parts.add("user=" + shown(g.user()));
        } else if (request instanceof PartitionRequest r) {
            parts.add("partition=" + shown(r.name()));
            parts.add("user=" + shown(r.user()));
            parts.add("operator=" + r.operator());
        } else if (request instanceof ReservationRequest r) {
            parts.add("reservation=" + shown(r.name()));
            parts.add("user=" + shown(r.user()));
            parts.add("operator=" + r.operator());
        } else {
            control(parts, (ControlRequest) request);
        }
        return String.join(" ", parts);
    }

    private static void control(List<String> parts, ControlRequest request) {
        if (request instanceof ControlRequest.DrainNode d) {
            parts.add("node=" + shown(d.node()));
            parts.add("user=" + shown(d.user()));
            parts.add("reason of " + length(d.reason()) + " characters");
        } else if (request instanceof ControlRequest.ResumeNode r) {
            parts.add("node=" + shown(r.node()));
            parts.add("user=" + shown(r.user()));
        } else if (request instanceof ControlRequest.DeleteNode d) {
            parts.add("node=" + shown(d.node()));
            parts.add("user=" + shown(d.user()));
        } else if (request instanceof ControlRequest.TopJobs t) {
            parts.add((t.jobs() == null ? 0 : t.jobs().size()) + " jobs"
                    + (t.jobs() == null || t.jobs().isEmpty() ? "" : " from " + t.jobs().get(0)));
            parts.add("user=" + shown(t.user()));
            parts.add("operator=" + t.operator());
        } else {
            job(parts, request);
        }
        parts.add("requestId=" + shown(request.requestId()));
    }

    /** The requests about a job: which job, its tasks, and which fields an update changes (not to what). */
    private static void job(List<String> parts, ControlRequest request) {
        JobTarget target = JobTarget.of(request);
        parts.add("jobId=" + target.jobId());
        if (target.taskId() != null) {
            parts.add("taskId=" + target.taskId());
        }
        if (target.tasks() != null) {
            parts.add("tasks=" + target.tasks() + " ids");
        }
        if (request instanceof ControlRequest.CancelJob c) {
            parts.add("user=" + shown(c.user()));
        } else if (request instanceof ControlRequest.SignalJob s) {
            parts.add("signal=" + shown(s.signal()));
        } else if (request instanceof ControlRequest.UpdateJob u) {
            parts.add("changing " + changed(u));
        }
    }

    private static String changed(ControlRequest.UpdateJob u) {
        List<String> fields = new ArrayList<>();
        String[] names = {"timeLimitSeconds", "priority", "nice", "name", "timeLimitChangeSeconds",
            "arrayTaskThrottle", "beginTime", "dependency", "deadline", "mailType", "mailUser",
            "reservation"};
        Object[] values = {u.timeLimitSeconds(), u.priority(), u.nice(), u.name(), u.timeLimitChangeSeconds(),
            u.arrayTaskThrottle(), u.beginTime(), u.dependency(), u.deadline(), u.mailType(), u.mailUser(),
            u.reservation()};
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                fields.add(names[i]);
            }
        }
        return fields.toString();
    }

    private static void spec(List<String> parts, JobSpec spec) {
        if (spec == null) {
            parts.add("without a spec");
            return;
        }
        parts.add("user=" + shown(spec.user()));
        parts.add("script of " + length(spec.script()) + " characters");
        parts.add((spec.args() == null ? 0 : spec.args().size()) + " arguments");
        parts.add((spec.environment() == null ? 0 : spec.environment().size()) + " environment variables");
    }

    private static void batch(List<String> parts, List<JobSubmission> jobs) {
        if (jobs == null || jobs.isEmpty()) {
            parts.add("of no jobs");
            return;
        }
        parts.add("of " + jobs.size() + " jobs");
        parts.add("submissionIds=" + shown(id(jobs.get(0))) + ".." + shown(id(jobs.get(jobs.size() - 1))));
        Set<String> users = new LinkedHashSet<>();
        long script = 0;
        for (JobSubmission j : jobs) {
            JobSpec spec = j == null ? null : j.spec();
            if (spec != null && users.size() < USERS) {
                users.add(shown(spec.user()));
            }
            script += spec == null ? 0 : length(spec.script());
        }
        parts.add("users=" + users);
        parts.add("scripts of " + script + " characters in all");
    }

    private static String id(JobSubmission j) {
        return j == null ? null : j.submissionId();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** A value the client chose, masked and cut at {@link #SHOWN} characters; "null" when it is absent. */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String masked = PrintableText.masked(value);
        return masked.length() <= SHOWN ? masked
                : masked.substring(0, SHOWN) + "...(" + value.length() + " characters)";
    }

    /** The job a job request names; tasks counted, not listed (scancel 12_[0-2999] names 3000). */
    private record JobTarget(long jobId, Integer taskId, Integer tasks) {
        static JobTarget of(ControlRequest r) {
            if (r instanceof ControlRequest.CancelJob c) {
                return new JobTarget(c.jobId(), c.taskId(), c.tasks() == null ? null : c.tasks().count());
            } else if (r instanceof ControlRequest.HoldJob h) {
                return new JobTarget(h.jobId(), h.taskId(), h.tasks() == null ? null : h.tasks().count());
            } else if (r instanceof ControlRequest.ReleaseJob h) {
                return new JobTarget(h.jobId(), h.taskId(), h.tasks() == null ? null : h.tasks().count());
            } else if (r instanceof ControlRequest.RequeueJob h) {
                return new JobTarget(h.jobId(), h.taskId(), h.tasks() == null ? null : h.tasks().count());
            } else if (r instanceof ControlRequest.UpdateJob u) {
                return new JobTarget(u.jobId(), u.taskId(), null);
            } else if (r instanceof ControlRequest.SignalJob s) {
                return new JobTarget(s.jobId(), s.taskId(), null);
            } else if (r instanceof ControlRequest.SuspendJob s) {
                return new JobTarget(s.jobId(), s.taskId(), null);
            }
            ControlRequest.ResumeJob s = (ControlRequest.ResumeJob) Objects.requireNonNull(r);
            return new JobTarget(s.jobId(), s.taskId(), null);
        }
    }
}
