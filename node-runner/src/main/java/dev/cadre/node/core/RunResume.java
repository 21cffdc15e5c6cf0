package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a relay takes up a run an agent resumes after its runner restarted (protocol.md §13.9). A run's id names
 * its job and attempt, so an agent can resume only a run of the attempt whose token it holds: a resume is no way
 * around the checks a new request passes, and the restarted runner needs no record of the runs the last one relayed.
 * A resume can come before the restarted runner has adopted its attempts; it waits for that, up to a bound.
 */
public final class RunResume {
    private static final Pattern RUN_ID = Pattern.compile(
            "([0-9]{1,18})\\.([0-9]{1,9})\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    private RunResume() {
    }

    /** The id of a new run of the attempt: its exec request's id, which the agent is given to resume by. */
    public static String newRunId(long jobId, int attempt, UUID random) {
        return jobId + "." + attempt + "." + random;
    }

    /** The target of a new run whose agent can resume it: its request's id is the run's. */
    public static ExecTarget newRun(ExecTarget resolved, UUID random) {
        ExecMessage.ExecRequest r = resolved.request();
        return new ExecTarget(resolved.host(), resolved.nodeId(), new ExecMessage.ExecRequest(newRunId(r.jobId(),
                r.attempt(), random), r.jobId(), r.attempt(), r.token(), r.command(), r.input(), r.task()));
    }

    /** What the relay does with a resume. */
    public sealed interface Verdict permits Resume, Wait, Refuse {
    }

    /** Take the run up again: keep its command alive and wait for its exit. */
    public record Resume(String runId) implements Verdict {
    }

    /** The attempt is not held here (yet: the restarted runner may still be adopting it): ask again shortly. */
    public record Wait() implements Verdict {
    }

    /** Answered with exit 255 and the reason; nothing is sent to any node. */
    public record Refuse(String reason) implements Verdict {
    }

    /**
     * @param target the resume's target, resolved as a new request's is (its variables, its host in the allocation)
     * @param held whether this node holds the attempt
     * @param heldRefusal why this node does not admit the agent's token to the attempt (as exec requests are checked);
     *        null when it does
     * @param now the time of this check
     * @param waitUntil when a resume whose attempt is not held stops waiting for the runner's adoption of it
     */
    public static Verdict judge(ExecTarget target, boolean held, String heldRefusal, Instant now,
            Instant waitUntil) {
        String runId = target.request().requestId();
        Matcher m = RUN_ID.matcher(runId);
        if (!m.matches()) {
            return new Refuse("cannot resume run '" + RelayWire.printable(runId) + "': not a run id a relay gives"
                    + " (JOB.ATTEMPT.UUID)");
        }
        long job = Long.parseLong(m.group(1));
        int attempt = Integer.parseInt(m.group(2));
        if (job != target.request().jobId() || attempt != target.request().attempt()) {
            return new Refuse("cannot resume run " + runId + ": it belongs to job " + job + " attempt " + attempt
                    + ", not to job " + target.request().jobId() + " attempt " + target.request().attempt()
                    + " of this agent");
        }
        if (heldRefusal == null) {
            return new Resume(runId);
        }
        if (!held && now.isBefore(waitUntil)) {
            return new Wait();
        }
        return new Refuse("cannot resume run " + runId + ": " + heldRefusal);
    }
}
