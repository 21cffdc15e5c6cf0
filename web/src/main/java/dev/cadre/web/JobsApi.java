package dev.cadre.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.DependencyStatus;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Fields;

/**
 * /api/jobs: the list with its filters and pages, a submission, one job. Reads come from SQLite; a submission
 * goes to the scheduler over the broker like any client's.
 */
final class JobsApi {
    private final JobStore jobs;
    private final NodeStore nodes;
    private final JobLookup lookup;
    private final SchedulerRequests scheduler;
    private final JobActions actions;
    private final DependencyStatuses dependencies;

    JobsApi(JobStore jobs, NodeStore nodes, JobLookup lookup, SchedulerRequests scheduler) {
        this.jobs = jobs;
        this.nodes = nodes;
        this.lookup = lookup;
        this.scheduler = scheduler;
        this.actions = new JobActions(lookup, scheduler);
        this.dependencies = new DependencyStatuses(jobs, Clock.systemUTC());
    }

    List<Route> routes() {
        Map<String, String> job = Map.of("id", JobReference.SYNTAX);
        return List.of(
                Route.of("GET", "/api/jobs", this::list).taking(JobListParams.PARAMETERS.toArray(String[]::new)),
                Route.of("POST", "/api/jobs", x -> x.created(submit(x.body()))),
                Route.of("GET", "/api/jobs/starts", x -> starts()),
                Route.of("POST", "/api/jobs/starts", x -> trial(x.body())),
                Route.of("GET", "/api/jobs/{id}", job, Route.Access.TOKEN, x -> one(x.parameter(0))),
                Route.of("POST", "/api/jobs/{id}/{action}", Map.of("id", JobReference.SYNTAX, "action",
                        JobActions.ACTIONS), Route.Access.TOKEN,
                        x -> actions.perform(x.parameter(0), x.parameter(1), x.body(), x.idempotencyKey())));
    }

    /**
     * A page of jobs. The headers say what is beyond it: X-Total-Count counts every job the filters find, and
     * Link names the next page (rel="next") while this one is full.
     */
    private List<JobSummary> list(Exchange x) throws ApiException {
        JobListParams p = JobListParams.parse(x.query(), this::hostname);
        List<JobRecord> page;
        long total;
        if (!p.ids().isEmpty()) {
            JobLookup.Page found = lookup.records(p.ids(), p.idQuery());
            page = found.jobs();
            total = found.total();
        } else {
            page = jobs.search().list(p.search());
            total = jobs.search().count(p.search());
        }
        x.response().getHeaders().put("X-Total-Count", Long.toString(total));
        if (page.size() == p.search().limit()) {
            x.response().getHeaders().put("Link", "<" + next(x.query(), page.get(page.size() - 1).id())
                    + ">; rel=\"next\"");
        }
        Map<Long, String> cancellers = jobs.history().cancellers(page.stream().filter(j -> j.state()
                == JobState.CANCELLED).map(JobRecord::id).toList());
        Map<Long, DependencyStatus> waits = dependencies.of(page);
        if (p.detail()) {
            Map<Long, List<AttemptRecord>> attempts = jobs.history().attempts(page.stream().map(JobRecord::id)
                    .toList());
            return page.stream().map(j -> JobSummary.detail(j, attempts.getOrDefault(j.id(), List.of()),
                    cancellers.get(j.id()), waits.get(j.id()), p.environment())).toList();
        }
        return page.stream().map(j -> JobSummary.listed(j, cancellers.get(j.id()), waits.get(j.id()))).toList();
    }

    /** A node's host name when the value is a node's id; otherwise the value, taken as a host name. */
    private String hostname(String node) {
        return nodes.list().stream().filter(n -> n.id().equals(node)).map(NodeRecord::hostname).findFirst()
                .orElse(node);
    }

    private static String next(Fields query, long lastId) {
        StringBuilder link = new StringBuilder("/api/jobs?");
        for (String name : new java.util.TreeSet<>(query.getNames())) {
            if (!name.equals("after")) {
                for (String v : query.getValues(name)) {
                    link.append(encode(name)).append('=').append(encode(v)).append('&');
                }
            }
        }
        return link.append("after=").append(lastId).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JobSummary one(String id) throws ApiException {
        JobRecord j = lookup.require(id);
        String cancelledBy = j.state() == JobState.CANCELLED ? jobs.history().cancellers(List.of(j.id())).get(j.id())
                : null;
        return JobSummary.detail(j, jobs.history().attempts(j.id()), cancelledBy, dependencies.of(j));
    }

    /** squeue --start: the scheduler's expected starts of pending jobs (protocol.md 5.9). */
    private Map<String, Object> starts() throws Exception {
        ClientReply reply = scheduler.send(new ClientRequest.ForecastStarts());
        if (reply instanceof ClientReply.StartForecast f) {
            refuseIfUnplanned(f);
            return Map.of("starts", f.starts());
        }
        throw SchedulerRequests.unexpected(reply);
    }

    /**
     * sbatch --test-only: when and where a job submitted now would be expected to start, storing nothing; the body
     * is as a submission's, and a job its submission would refuse is refused alike (protocol.md 5.9).
     */
    private Map<String, Object> trial(String body) throws Exception {
        ClientReply reply = scheduler.send(new ClientRequest.ForecastStarts(submission(body).spec()));
        if (reply instanceof ClientReply.JobRejected r) {
            throw ApiException.rejected(r.code(), r.reason(), r.field());
        }
        if (reply instanceof ClientReply.StartForecast f) {
            refuseIfUnplanned(f);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("starts", f.starts());
            out.put("notPlanned", f.notPlanned());
            return out;
        }
        throw SchedulerRequests.unexpected(reply);
    }

    /**
     * A forecast the scheduler planned nothing for: 503 with Retry-After and its code when it may be asked again
     * later (too many forecasts waiting, or the scheduler stopping), else 500; its reason is the problem's detail.
     */
    private static void refuseIfUnplanned(ClientReply.StartForecast f) throws ApiException {
        if (f.unavailable() != null) {
            throw ApiException.unavailable(f.unavailable().wireName(), f.reason(), retryAfterSeconds(f.unavailable()));
        }
        if (f.reason() != null) {
            throw new ApiException(500, f.reason());
        }
    }

    /** A few plans wait at most, each a fraction of a second; a stopping scheduler is back, or replaced, later. */
    static int retryAfterSeconds(ClientReply.StartForecast.Unavailable why) {
        return why == ClientReply.StartForecast.Unavailable.BUSY ? 2 : 10;
    }

    private Map<String, Object> submit(String body) throws Exception {
        ClientReply reply = scheduler.send(submission(body));
        if (reply instanceof ClientReply.JobAccepted a) {
            return Map.of("jobId", a.jobId(), "duplicate", a.duplicate());
        }
        if (reply instanceof ClientReply.JobRejected r) {
            throw ApiException.rejected(r.code(), r.reason(), r.field());
        }
        throw SchedulerRequests.unexpected(reply);
    }

    /** The body is a submit-job message, with or without its "type" field. */
    private static ClientRequest.SubmitJob submission(String body) throws ApiException {
        ClientRequest.SubmitJob submit;
        ObjectNode obj = JsonBody.object(body, "a JSON object with a 'spec'", RejectionCode.MALFORMED);
        try {
            obj.put("type", "submit-job");
            submit = MessageCodec.decode(obj.toString(), ClientRequest.SubmitJob.class);
        } catch (ProtocolException e) {
            throw ApiException.rejected(e.code(), e.getMessage(), e.field());
        }
        return submit;
    }
}
