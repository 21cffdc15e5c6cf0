package dev.cadre.web;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ControlRequestValidator;
import dev.cadre.protocol.JobSpecValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /api/jobs/{id}/top: scontrol top. The job in the path goes first, then those "then" lists ("13", "14_2"), in
 * that order; "user" says who asks and "operator" whether they are an operator, as scontrol judges them (the API has
 * one token and trusts its holder). A job never stored is 404, as slurmctld's "Invalid job id specified", checked here
 * for each job named before anything is asked; the scheduler's refusals are 403 (access-denied: not an operator,
 * another user's job, or users may not move jobs without the head's --enable-user-top) and 409 with the state of the
 * job they name (not pending, held, or a nice that would leave its range), each with the refusal's code as "code".
 */
final class QueueTopAction {
    private QueueTopAction() {
    }

    static ClientReply.TopResult perform(JobLookup lookup, SchedulerRequests scheduler, JobReference first,
            ActionBody fields, String key) throws Exception {
        List<String> then = fields.texts("then");
        if (then.size() >= ControlRequestValidator.MAX_TOP_JOBS) {
            throw new ApiException(400, "'then' lists " + then.size() + " jobs; at most "
                    + (ControlRequestValidator.MAX_TOP_JOBS - 1) + " may follow the job in the path", "then");
        }
        String user = fields.text("user");
        if (user == null || !JobSpecValidator.isUserName(user)) {
            throw new ApiException(400, "'user' " + JobSpecValidator.USER_RULE + " (at most 64): who asks", "user");
        }
        List<JobReference> named = new ArrayList<>(List.of(first));
        for (String id : then) {
            named.add(JobReference.parse(id).orElseThrow(() -> new ApiException(400, "'then' names '" + id
                    + "', which is no job id (12, or 12_3 for an array's task)", "then")));
        }
        List<ControlRequest.TopJobs.Target> targets = new ArrayList<>();
        for (JobReference ref : named) {
            lookup.require(ref);
            targets.add(new ControlRequest.TopJobs.Target(ref.jobId(), ref.taskId()));
        }
        ClientReply reply = scheduler.send(new ControlRequest.TopJobs(targets, user, fields.flag("operator"), key));
        if (!(reply instanceof ClientReply.TopResult r)) {
            throw SchedulerRequests.unexpected(reply);
        }
        if (!r.ok()) {
            int status = ClientReply.TopResult.ACCESS_DENIED.equals(r.refusal()) ? 403 : 409;
            throw ApiException.refusedTop(status, r.reason(), r.state(), r.refusal());
        }
        return r;
    }
}
