package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import java.util.function.BiFunction;

/**
 * exec-grant (docs/protocol.md 5.10): a running job's exec token, handed to the job's own user (or root, Slurm's
 * administrator) so that srun --pty, salloc at a terminal and srun with piped input can run a command on a node of
 * the allocation, as the job's own srun does. The token is still what every node checks before it runs anything;
 * this decides only who is given it.
 */
public final class ExecGrants {
    /** Slurm's administrator, who may reach any job. */
    public static final String ADMINISTRATOR = "root";

    private ExecGrants() {
    }

    /**
     * @param job the job the request names, as stored (ended jobs too), or null when no job has its id
     * @param tokens the exec token of (job id, attempt)
     */
    public static ClientReply.ExecGrantResult answer(ClientRequest.ExecGrant request, JobRecord job,
            BiFunction<Long, Integer, String> tokens) {
        long id = request.jobId();
        if (request.user() == null || !JobSpecValidator.isUserName(request.user())) {
            return ClientReply.ExecGrantResult.refused(id, "user must be the user name of who asks (letters,"
                    + " digits, '_', '.', '@', '-', at most 64), as a job's user is");
        }
        if (job == null) {
            return ClientReply.ExecGrantResult.refused(id, "job " + id + " is unknown: no job has that id");
        }
        if (!request.user().equals(job.spec().user()) && !ADMINISTRATOR.equals(request.user())) {
            return ClientReply.ExecGrantResult.refused(id, "job " + id + " is " + job.spec().user() + "'s, not "
                    + request.user() + "'s: only a job's own user may run commands in it");
        }
        if (job.state() != JobState.RUNNING || job.allocation() == null) {
            return ClientReply.ExecGrantResult.refused(id, "job " + id + " is " + job.state() + ", not RUNNING:"
                    + " commands run in a job only while it runs");
        }
        return new ClientReply.ExecGrantResult(id, true, job.attempt(), tokens.apply(id, job.attempt()),
                job.allocation().nodes().stream()
                        .map(n -> new ClientReply.ExecGrantResult.GrantedNode(n.hostname(), n.nodeId())).toList(),
                null);
    }
}
