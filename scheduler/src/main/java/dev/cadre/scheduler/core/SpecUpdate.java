package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An scontrol update, checked before it changes anything: the spec it makes must keep every limit a submission
 * keeps. The web checks too, but an update-job sent over JMS, AMQP or STOMP comes here as sent, and a time limit
 * of 4e18 seconds (time arithmetic overflows), a negative one (the job jumps the backfill reservation) or a name
 * that takes a %x output path out of the working directory would otherwise be stored and acted on.
 */
record SpecUpdate(ClientRequest.UpdateJob request) {

    /** The spec with the update's fields in place of its own; absent fields are kept. */
    JobSpec applyTo(JobSpec s) {
        JobSpec.Builder b = s.toBuilder();
        if (request.timeLimitSeconds() != null) {
            b.timeLimitSeconds(request.timeLimitSeconds());
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
        return b.build();
    }

    /** Whether it changes the time limit alone: the one change a running job takes. */
    boolean limitOnly() {
        return request.timeLimitSeconds() != null && request.priority() == null && request.nice() == null
                && request.name() == null;
    }

    /** What is wrong with the request whatever job it names, or null. */
    String problem() {
        if (request.timeLimitSeconds() == null && request.priority() == null && request.nice() == null
                && request.name() == null) {
            return "nothing to update: give timeLimitSeconds, priority, nice or name";
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
    String problem(JobSpec before) {
        List<JobSpecValidator.Problem> found = new ArrayList<>(JobSpecValidator.validate(applyTo(before)));
        found.removeAll(JobSpecValidator.validate(before));
        if (found.isEmpty()) {
            return null;
        }
        // Named as the request names them: the update's fields, not the spec's.
        return found.stream().map(p -> p.field().replaceFirst("^spec\\.", "") + ": " + p.message())
                .collect(Collectors.joining("; "));
    }
}
