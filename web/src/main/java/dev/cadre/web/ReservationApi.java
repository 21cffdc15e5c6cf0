package dev.cadre.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.db.ReservationStore;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.ReservationValidator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /api/reservations, Slurm's advance reservations: GET lists them (scontrol show reservation), GET
 * /api/reservations/NAME shows one, POST creates one, POST /api/reservations/NAME updates one and DELETE
 * /api/reservations/NAME deletes one, as create-reservation, update-reservation and delete-reservation messages to the
 * scheduler, which refuses them unless {@code operator} is true (docs/operations.md, "Who may do what").
 */
final class ReservationApi {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "startTime", "endTime", "durationSeconds",
            "nodes", "nodeCount", "users", "flags", "user", "operator");
    private static final Set<String> UPDATE_FIELDS = Set.of("startTime", "endTime", "durationSeconds", "nodes",
            "users", "addUsers", "removeUsers", "addNodes", "removeNodes", "addFlags", "removeFlags", "user",
            "operator");
    private static final Map<String, String> NAME = Map.of("name", "[^/]+");

    private final SchedulerRequests scheduler;
    private final ReservationStore reservations;

    ReservationApi(SchedulerRequests scheduler, ReservationStore reservations) {
        this.scheduler = scheduler;
        this.reservations = reservations;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/reservations", x -> reservations.list()),
                Route.of("POST", "/api/reservations", x -> x.created(send(request(x.body(), null)))),
                Route.of("GET", "/api/reservations/{name}", NAME, Route.Access.TOKEN, x -> one(name(x))),
                Route.of("POST", "/api/reservations/{name}", NAME, Route.Access.TOKEN,
                        x -> send(request(x.body(), name(x)))),
                Route.of("DELETE", "/api/reservations/{name}", NAME, Route.Access.TOKEN,
                        x -> send(new ReservationRequest.DeleteReservation(name(x), user(x.query("user")),
                                operator(x.query("operator"))))).taking("user", "operator"));
    }

    private AdvanceReservation one(String name) throws ApiException {
        return reservations.find(name).orElseThrow(() -> new ApiException(404, "reservation " + name
                + " does not exist"));
    }

    private static String name(Exchange x) throws ApiException {
        String name = x.parameter(0);
        var problem = ReservationValidator.name(name);
        if (problem.isPresent()) {
            throw new ApiException(400, "name: " + problem.get().message(), "name");
        }
        return name;
    }

    /** A user query parameter, checked as a job's user is. */
    static String user(String given) throws ApiException {
        if (given != null && !JobSpecValidator.isUserName(given)) {
            throw new ApiException(400, "'user' " + JobSpecValidator.USER_RULE + " (at most 64)", "user");
        }
        return given;
    }

    /** An operator query parameter: true, false or absent (false). */
    static boolean operator(String given) throws ApiException {
        if (given != null && !given.equals("true") && !given.equals("false")) {
            throw new ApiException(400, "'operator' must be true or false", "operator");
        }
        return "true".equals(given);
    }

    /**
     * The body read as a create-reservation (no name in the path) or an update-reservation of the path's name, so
     * that a field of the wrong type is named as the bus names it; a field neither takes is refused by name.
     */
    private static ReservationRequest request(String body, String name) throws ApiException {
        return operatorRequest(body, name, name == null ? CREATE_FIELDS : UPDATE_FIELDS, "reservation",
                ReservationRequest.class);
    }

    /**
     * An operator's create (no name in the path) or update of the path's name of a reservation or partition: the
     * body's fields, each of {@code allowed} (another is refused by name), as the message create-ENTITY or
     * update-ENTITY, decoded so that a field of the wrong type is named as the bus names it.
     */
    static <T extends ClientRequest> T operatorRequest(String body, String name, Set<String> allowed, String entity,
            Class<T> type) throws ApiException {
        ObjectNode fields = JsonBody.object(body, "a JSON object: the " + entity + "'s fields", null);
        for (Iterator<String> it = fields.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ApiException(400, "'" + f + "' is not a field of a " + entity + " " + (name == null
                        ? "to create" : "update") + "; the fields are " + allowed.stream().sorted().toList(), f);
            }
        }
        user(fields.hasNonNull("user") && fields.get("user").isTextual() ? fields.get("user").asText() : null);
        ObjectNode message = fields.deepCopy();
        message.put("type", (name == null ? "create-" : "update-") + entity);
        if (name != null) {
            message.put("name", name);
        }
        try {
            return MessageCodec.decode(message.toString(), type);
        } catch (ProtocolException e) {
            throw new ApiException(400, e.getMessage(), e.field());
        }
    }

    private ClientReply.ReservationResult send(ReservationRequest request) throws Exception {
        ClientReply reply = scheduler.send(request);
        if (!(reply instanceof ClientReply.ReservationResult r)) {
            throw SchedulerRequests.unexpected(reply);
        }
        if (r.ok()) {
            return r;
        }
        int status = r.code() == null ? 500 : switch (r.code()) {
            case ACCESS_DENIED -> 403;
            case INVALID_FIELD, INVALID_TIME, INVALID_NODE, NO_USERS -> 400;
            case NOT_FOUND -> 404;
            case DUPLICATE_NAME, OVERLAP, NODES_BUSY, IN_USE, NOT_SUPPORTED -> 409;
            case INTERNAL -> 500;
        };
        throw ApiException.refusedReservation(status, r.reason(), r.field(),
                r.code() == null ? null : r.code().wireName());
    }
}
