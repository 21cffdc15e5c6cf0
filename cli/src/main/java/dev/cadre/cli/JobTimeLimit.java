package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolUpdate;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;

/**
 * The time limit scontrol update sends for one job: the value given, or the job's current limit changed by the amount
 * given (TimeLimit+=30), read from the API, as scontrol reads it from slurmctld. A user's raise is refused here
 * ({@link SlurmOperator#checkTimeLimit}), which needs the current limit too; an operator's new value needs nothing.
 */
final class JobTimeLimit {
    private JobTimeLimit() {
    }

    /**
     * @return the limit to send, in seconds
     * @throws SlurmUsageException when it is refused, its lines said as scontrol says them
     */
    static long of(RestClient rest, SlurmJobId id, ScontrolUpdate update, boolean operator)
            throws SlurmUsageException, RestClient.ClientException {
        if (operator && update.timeLimitChange() == null) {
            return update.timeLimitSeconds();
        }
        Json job = rest.get("/api/jobs/" + id);
        Long current = job.hasNonNull("timeLimitSeconds") ? job.get("timeLimitSeconds").asLong() : null;
        long limit = update.newTimeLimit(current);
        SlurmOperator.checkTimeLimit(operator, current, limit, "slurm_update error");
        return limit;
    }
}
