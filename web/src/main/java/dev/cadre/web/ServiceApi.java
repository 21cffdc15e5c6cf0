package dev.cadre.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.db.JobStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import dev.cadre.protocol.ServiceValidator;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * /api/services: GET lists the services with their instance counts, GET /api/services/NAME shows one with its
 * instances, POST (a service spec) creates one, POST /api/services/NAME (new replicas or failure budget, or a
 * reset of its failure count) updates one, DELETE /api/services/NAME deletes one.
 * Changes go to the scheduler as create-service, update-service and delete-service messages.
 */
final class ServiceApi {
    /**
     * A service as the API shows it: its record and how many instances run and wait.
     *
     * @param failureBudget the failures in a row that turn it FAILED, the default included
     * @param nodeFailures rounds in a row of instances lost with their node, against nodeFailureBudget
     * @param instances its unfinished instances, for one service only (GET /api/services/NAME)
     */
    record ServiceSummary(String name, int replicas, int running, int pending, String state,
            int consecutiveFailures, int failureBudget, int nodeFailures, int nodeFailureBudget, String lastError,
            Instant nextAttempt, ServiceSpec spec, @JsonInclude(JsonInclude.Include.NON_NULL)
            List<JobSummary> instances) {
    }

    private static final Set<String> UPDATE_FIELDS = Set.of("replicas", "maxConsecutiveFailures", "reset");
    private static final Map<String, String> NAME = Map.of("name", "[^/]+");

    private final SchedulerRequests scheduler;
    private final JobStore jobs;
    private final ServiceStore services;

    ServiceApi(SchedulerRequests scheduler, JobStore jobs, ServiceStore services) {
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/services", x -> list()),
                Route.of("POST", "/api/services", x -> x.created(create(x.body()))),
                Route.of("GET", "/api/services/{name}", NAME, Route.Access.TOKEN, x -> one(name(x)))
                        .withQuery(ServiceApi::refuseQuery),
                Route.of("POST", "/api/services/{name}", NAME, Route.Access.TOKEN,
                        x -> update(name(x), x.body())).withQuery(ServiceApi::refuseQuery),
                Route.of("DELETE", "/api/services/{name}", NAME, Route.Access.TOKEN, x -> delete(name(x)))
                        .withQuery(ServiceApi::refuseQuery));
    }

    List<ServiceSummary> list() {
        Map<String, Map<JobState, Integer>> instances = jobs.history().serviceInstances();
        return services.list().stream().map(s -> summary(s, instances.getOrDefault(s.name(), Map.of()))).toList();
    }

    /** One service with its unfinished instances, oldest first. */
    ServiceSummary one(String name) throws ApiException {
        ServiceRecord s = services.list().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApiException(404, "service " + name + " does not exist"));
        List<JobRecord> instances = services.instances(name);
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        instances.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        return summary(s, counts, instances.stream().map(j -> JobSummary.of(j, null)).toList());
    }

    private static ServiceSummary summary(ServiceRecord s, Map<JobState, Integer> counts) {
        return summary(s, counts, null);
    }

    private static ServiceSummary summary(ServiceRecord s, Map<JobState, Integer> counts,
            List<JobSummary> instances) {
        int running = counts.getOrDefault(JobState.RUNNING, 0) + counts.getOrDefault(JobState.COMPLETING, 0);
        int pending = counts.getOrDefault(JobState.PENDING, 0) + counts.getOrDefault(JobState.REQUEUED, 0);
        return new ServiceSummary(s.name(), s.spec().replicas(), running, pending, s.state(),
                s.consecutiveFailures(), s.spec().failureBudget(), s.nodeFailures(), s.spec().nodeFailureBudget(),
                s.lastError(), s.nextAttempt(), s.spec(), instances);
    }

    /**
     * A query string is refused as part of the name rather than as a parameter: a name with '?' sent unencoded
     * must not reach another service (delete 'mix?x' deleting 'mix').
     */
    private static void refuseQuery(Request request, Fields query) throws ApiException {
        String raw = request.getHttpURI().getQuery();
        if (raw != null) {
            throw new ApiException(400, "a service's path takes no query string, and '?" + raw + "' is one;"
                    + " service names never contain '?'", "name");
        }
    }

    /** The service name of the path, checked as create-service checks it. */
    private static String name(Exchange x) throws ApiException {
        String name = x.parameter(0);
        var problem = ServiceValidator.name(name);
        if (problem.isPresent()) {
            throw new ApiException(400, "name: " + problem.get().message(), "name");
        }
        return name;
    }

    /** The body is a service spec; it is read as a create-service message so that a wrong type names its field. */
    ClientReply.ServiceResult create(String body) throws Exception {
        ClientRequest.CreateService request;
        try {
            ObjectNode message = MessageCodec.mapper().createObjectNode().put("type", "create-service");
            message.set("service", JsonBody.object(body, "a JSON object: the service's spec", null));
            request = MessageCodec.decode(message.toString(), ClientRequest.CreateService.class);
        } catch (ProtocolException e) {
            throw new ApiException(400, e.getMessage(), e.field());
        }
        ClientReply.ServiceResult r = answered(request);
        if (Boolean.FALSE.equals(r.created())) {
            // The same spec again: harmless to the scheduler, but no creation, so not 201 and "Created".
            throw new ApiException(409, r.reason());
        }
        return r;
    }

    ClientReply.ServiceResult update(String name, String body) throws Exception {
        ActionBody fields = ActionBody.parse(body, "a service update", UPDATE_FIELDS);
        Long replicas = fields.whole("replicas", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Long budget = fields.whole("maxConsecutiveFailures", Integer.MIN_VALUE, Integer.MAX_VALUE);
        return answered(new ClientRequest.UpdateService(name, replicas == null ? null : replicas.intValue(),
                budget == null ? null : budget.intValue(), fields.has("reset") ? fields.flag("reset") : null));
    }

    ClientReply.ServiceResult delete(String name) throws Exception {
        return answered(new ClientRequest.DeleteService(name));
    }

    private ClientReply.ServiceResult answered(ClientRequest request) throws Exception {
        ClientReply reply = scheduler.send(request);
        if (!(reply instanceof ClientReply.ServiceResult r)) {
            throw SchedulerRequests.unexpected(reply);
        }
        if (r.ok()) {
            return r;
        }
        int status = r.code() == null ? 500 : switch (r.code()) {
            case INVALID_FIELD -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INTERNAL -> 500;
        };
        throw new ApiException(status, r.reason(), r.field());
    }
}
