package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * /api/services: GET lists the services with their instances, POST (a service spec) creates one, DELETE
 * /api/services/NAME deletes one. Changes go to the scheduler as create-service and delete-service messages.
 */
final class ServiceApi {
    /** A service as the API shows it: its record and how many instances run and wait. */
    record ServiceSummary(String name, int replicas, int running, int pending, String state,
            int consecutiveFailures, String lastError, Instant nextAttempt, ServiceSpec spec) {
    }

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
                Route.of("DELETE", "/api/services/{name}", Map.of("name", "[^/]+"), Route.Access.TOKEN,
                        x -> delete(x.parameter(0))));
    }

    List<ServiceSummary> list() {
        return services.list().stream().map(this::summary).toList();
    }

    private ServiceSummary summary(ServiceRecord s) {
        Map<JobState, Integer> counts = jobs.history().serviceInstances(s.name());
        int running = counts.getOrDefault(JobState.RUNNING, 0) + counts.getOrDefault(JobState.COMPLETING, 0);
        int pending = counts.getOrDefault(JobState.PENDING, 0) + counts.getOrDefault(JobState.REQUEUED, 0);
        return new ServiceSummary(s.name(), s.spec().replicas(), running, pending, s.state(),
                s.consecutiveFailures(), s.lastError(), s.nextAttempt(), s.spec());
    }

    ClientReply.ServiceResult create(String body) throws Exception {
        ServiceSpec spec;
        try {
            spec = MessageCodec.mapper().readValue(body, ServiceSpec.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(400, "the body must be a service spec: " + e.getOriginalMessage());
        }
        return answered(new ClientRequest.CreateService(spec));
    }

    ClientReply.ServiceResult delete(String name) throws Exception {
        return answered(new ClientRequest.DeleteService(name));
    }

    private ClientReply.ServiceResult answered(ClientRequest request) throws Exception {
        ClientReply reply = scheduler.send(request);
        if (reply instanceof ClientReply.ServiceResult r) {
            if (!r.ok()) {
                throw new ApiException(r.reason() != null && r.reason().contains("does not exist") ? 404
                        : r.reason() != null && r.reason().contains("already exists") ? 409 : 400, r.reason());
            }
            return r;
        }
        throw SchedulerRequests.unexpected(reply);
    }
}
