package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.scheduler.core.ExecGrants;
import dev.cadre.scheduler.core.SchedulerCore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * exec-grant from cadre.submit ({@link ExecGrants}): judged on the job as the core holds it, or as stored once it has
 * left the core (ended), so that a refusal tells an ended job from an unknown one. Changes nothing; each grant and
 * refusal is logged, naming who asked.
 */
final class ExecGrantRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ExecGrantRequests.class);
    private final SchedulerCore core;
    private final JobStore jobs;
    private final ExecTokens tokens;

    ExecGrantRequests(SchedulerCore core, JobStore jobs, ExecTokens tokens) {
        this.core = core;
        this.jobs = jobs;
        this.tokens = tokens;
    }

    ClientReply answer(ClientRequest.ExecGrant request) {
        ClientReply.ExecGrantResult answer;
        try {
            Optional<JobRecord> live;
            synchronized (core) {
                live = core.job(request.jobId());
            }
            answer = ExecGrants.answer(request, live.or(() -> jobs.find(request.jobId())).orElse(null), tokens);
        } catch (RuntimeException e) {
            return RequestFailures.refusal(request, e);
        }
        if (answer.ok()) {
            LOG.info("granted exec in job {} (attempt {}) to {}", request.jobId(), answer.attempt(), request.user());
        } else {
            LOG.info("refused exec in job {} to {}: {}", request.jobId(), loggable(request.user()), answer.reason());
        }
        return answer;
    }

    /** A refused user name is whatever the client sent: cut, and without the line breaks that could forge a log line. */
    static String loggable(String user) {
        if (user == null) {
            return "(no user)";
        }
        String cut = user.length() > 64 ? user.substring(0, 64) + "..." : user;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
