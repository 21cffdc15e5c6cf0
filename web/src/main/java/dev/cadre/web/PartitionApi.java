package dev.cadre.web;

import dev.cadre.db.PartitionStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Partition;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.ReservationValidator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /api/partitions, Slurm's partitions: GET lists them (scontrol show partition, sinfo), GET /api/partitions/NAME shows
 * one, POST creates one, POST /api/partitions/NAME updates one and DELETE /api/partitions/NAME deletes one, as
 * create-partition, update-partition and delete-partition messages to the scheduler, which refuses them unless
 * {@code operator} is true, as it refuses reservation requests.
 */
final class PartitionApi {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "nodes", "default", "maxTimeMinutes",
            "defaultTimeMinutes", "state", "user", "operator");
    private static final Set<String> UPDATE_FIELDS = Set.of("nodes", "default", "maxTimeMinutes",
            "defaultTimeMinutes", "state", "user", "operator");
    private static final Map<String, String> NAME = Map.of("name", "[^/]+");

    private final SchedulerRequests scheduler;
    private final PartitionStore partitions;

    PartitionApi(SchedulerRequests scheduler, PartitionStore partitions) {
        this.scheduler = scheduler;
        this.partitions = partitions;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/partitions", x -> partitions.list()),
                Route.of("POST", "/api/partitions", x -> x.created(send(request(x.body(), null)))),
                Route.of("GET", "/api/partitions/{name}", NAME, Route.Access.TOKEN, x -> one(name(x))),
                Route.of("POST", "/api/partitions/{name}", NAME, Route.Access.TOKEN,
                        x -> send(request(x.body(), name(x)))),
                Route.of("DELETE", "/api/partitions/{name}", NAME, Route.Access.TOKEN,
                        x -> send(new PartitionRequest.DeletePartition(name(x), ReservationApi.user(x.query("user")),
                                ReservationApi.operator(x.query("operator"))))).taking("user", "operator"));
    }

    private Partition one(String name) throws ApiException {
        return partitions.list().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApiException(404, "partition " + name + " does not exist"));
    }

    private static String name(Exchange x) throws ApiException {
        String name = x.parameter(0);
        var problem = ReservationValidator.name(name);
        if (problem.isPresent()) {
            throw new ApiException(400, "name: " + problem.get().message(), "name");
        }
        return name;
    }

    /** The body read as a create-partition or an update-partition of the path's name, as for reservations. */
    private static PartitionRequest request(String body, String name) throws ApiException {
        return ReservationApi.operatorRequest(body, name, name == null ? CREATE_FIELDS : UPDATE_FIELDS, "partition",
                PartitionRequest.class);
    }

    private ClientReply.PartitionResult send(PartitionRequest request) throws Exception {
        ClientReply reply = scheduler.send(request);
        if (!(reply instanceof ClientReply.PartitionResult r)) {
            throw SchedulerRequests.unexpected(reply);
        }
        if (r.ok()) {
            return r;
        }
        int status = r.code() == null ? 500 : switch (r.code()) {
            case ACCESS_DENIED -> 403;
            case INVALID_FIELD, INVALID_NODE -> 400;
            case NOT_FOUND -> 404;
            case DUPLICATE_NAME, IN_USE -> 409;
            case INTERNAL -> 500;
        };
        throw ApiException.refusedReservation(status, r.reason(), r.field(),
                r.code() == null ? null : r.code().wireName());
    }
}
