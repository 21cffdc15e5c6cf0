package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolUpdate;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;
import java.util.Map;

/**
 * The time limit scontrol update sends for one job id: the value given, or the amount given (TimeLimit+=30) as
 * {@code timeLimitChangeSeconds}, which the scheduler adds to each job record's own limit. An array's running
 * tasks each have a record and a limit of their own (one may have been extended alone), so one value read here
 * and sent for the whole array would shorten some of them; the scheduler holds the one true limit of each.
 *
 * <p>Each record's limit is read only to refuse, in scontrol's words, what Slurm would refuse before sending: a
 * user's raise of any record ({@link SlurmOperator#checkTimeLimit}), a change of a job without a limit, a decrement
 * larger than a limit. An operator's new value needs nothing read.
 */
final class JobTimeLimit {
    /** The records an update changes: pending ones and running ones (JobControl). */
    private static final String CHANGED = "&state=PENDING,RUNNING&id=";

    private JobTimeLimit() {
    }

    /**
     * @return the time-limit field of the update's body, one of timeLimitSeconds and timeLimitChangeSeconds
     * @throws SlurmUsageException when it is refused, its lines said as scontrol says them
     */
    static Map<String, Object> of(RestClient rest, SlurmJobId id, ScontrolUpdate update, boolean operator)
            throws SlurmUsageException, RestClient.ClientException {
        boolean relative = update.timeLimitChange() != null;
        if (operator && !relative) {
            return Map.of("timeLimitSeconds", update.timeLimitSeconds());
        }
        for (Json job : rest.jobs(CHANGED + id)) {
            Long current = job.hasNonNull("timeLimitSeconds") ? job.get("timeLimitSeconds").asLong() : null;
            SlurmOperator.checkTimeLimit(operator, current, update.newTimeLimit(current), "slurm_update error");
        }
        // None read (an unknown or ended job): the API's answer says so.
        return relative ? Map.of("timeLimitChangeSeconds", update.timeLimitChange())
                : Map.of("timeLimitSeconds", update.timeLimitSeconds());
    }
}
