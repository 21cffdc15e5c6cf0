package dev.cadre.web;

import java.util.List;
import java.util.Map;

/**
 * What valid input looks like for each operation of the REST API, which its OpenAPI document cannot say (an id that
 * exists, a body that passes): {@link HostileRequests} spoils one part of it at a time.
 */
final class ValidRequests {
    private ValidRequests() {
    }

    /**
     * Valid input of one operation.
     *
     * @param path each path parameter's valid values (the first for all cases but those of its own values)
     * @param body a body that passes the API's own checks, null for operations without one
     */
    record Valid(Map<String, List<String>> path, String body, String query) {
        Valid(Map<String, List<String>> path, String body) {
            this(path, body, "");
        }
    }

    private static final String PERIOD = "start=2026-11-21T00:00:00Z&end=2026-11-22T00:00:00Z";

    static final String JOB = "1";
    static final String NODE = "n1";
    private static final String SUBMISSION = "{\"spec\": {\"name\": \"hello\", \"user\": \"alice\", \"script\":"
            + " \"#!/bin/sh\\necho hello\\n\", \"workDir\": \"/tmp\"}}";
    private static final List<String> ACTIONS = List.of("cancel", "hold", "release", "requeue", "update", "signal",
            "suspend", "resume", "top");

    /** The actions that need a field to pass, with one; the others take "{}" (web/README.md). */
    private static final Map<String, String> ACTION_BODIES = Map.of("update", "{\"nice\": 1}", "signal",
            "{\"signal\": \"USR1\"}", "top", "{\"user\": \"alice\"}", "resume", "{}");

    /** How to reach each operation with valid input; the test fails for an operation of the document not here. */
    static final Map<String, Valid> BY_OPERATION = Map.ofEntries(
            Map.entry("GET /api/openapi.json", new Valid(Map.of(), null)),
            Map.entry("GET /api/jobs", new Valid(Map.of(), null)),
            Map.entry("POST /api/jobs", new Valid(Map.of(), SUBMISSION)),
            Map.entry("GET /api/jobs/starts", new Valid(Map.of(), null)),
            Map.entry("POST /api/jobs/starts", new Valid(Map.of(), SUBMISSION)),
            Map.entry("GET /api/jobs/{id}", new Valid(Map.of("id", List.of(JOB)), null)),
            Map.entry("POST /api/jobs/{id}/{action}", new Valid(Map.of("id", List.of(JOB), "action", ACTIONS),
                    "{}")),
            Map.entry("GET /api/jobs/{id}/output", new Valid(Map.of("id", List.of(JOB)), null)),
            Map.entry("GET /api/jobs/{id}/usage", new Valid(Map.of("id", List.of(JOB)), null)),
            Map.entry("GET /api/nodes", new Valid(Map.of(), null)),
            Map.entry("GET /api/nodes/events", new Valid(Map.of(), null)),
            Map.entry("DELETE /api/nodes/{id}", new Valid(Map.of("id", List.of(NODE)), null)),
            Map.entry("POST /api/nodes/{id}/{action}", new Valid(Map.of("id", List.of(NODE), "action",
                    List.of("drain", "resume")), "{\"reason\": \"disk swap\"}")),
            Map.entry("GET /api/cluster", new Valid(Map.of(), null)),
            Map.entry("GET /api/cluster/history", new Valid(Map.of(), null)),
            Map.entry("GET /api/usage", new Valid(Map.of(), null, PERIOD)),
            Map.entry("GET /api/usage/cluster", new Valid(Map.of(), null, PERIOD)),
            Map.entry("GET /api/shares", new Valid(Map.of(), null)),
            Map.entry("GET /api/services", new Valid(Map.of(), null)),
            Map.entry("POST /api/services", new Valid(Map.of(), "{\"name\": \"web\", \"replicas\": 1, \"template\":"
                    + " {\"user\": \"alice\", \"script\": \"#!/bin/sh\\ntrue\\n\", \"workDir\": \"/tmp\"}}")),
            Map.entry("GET /api/services/{name}", new Valid(Map.of("name", List.of("web")), null)),
            Map.entry("POST /api/services/{name}", new Valid(Map.of("name", List.of("web")), "{\"replicas\": 1}")),
            Map.entry("DELETE /api/services/{name}", new Valid(Map.of("name", List.of("web")), null)),
            Map.entry("GET /api/reservations", new Valid(Map.of(), null)),
            Map.entry("POST /api/reservations", new Valid(Map.of(), "{\"name\": \"maint\", \"startTime\":"
                    + " \"2030-01-01T00:00:00Z\", \"durationSeconds\": 60, \"nodes\": \"node1\", \"users\": [\"root\"],"
                    + " \"user\": \"root\", \"operator\": true}")),
            Map.entry("GET /api/reservations/{name}", new Valid(Map.of("name", List.of("maint")), null)),
            Map.entry("POST /api/reservations/{name}", new Valid(Map.of("name", List.of("maint")),
                    "{\"durationSeconds\": 60, \"operator\": true}")),
            Map.entry("DELETE /api/reservations/{name}", new Valid(Map.of("name", List.of("maint")), null,
                    "user=root&operator=true")),
            Map.entry("GET /api/partitions", new Valid(Map.of(), null)),
            Map.entry("POST /api/partitions", new Valid(Map.of(), "{\"name\": \"debug\", \"nodes\": \"node1\","
                    + " \"user\": \"root\", \"operator\": true}")),
            Map.entry("GET /api/partitions/{name}", new Valid(Map.of("name", List.of("batch")), null)),
            Map.entry("POST /api/partitions/{name}", new Valid(Map.of("name", List.of("debug")),
                    "{\"state\": \"DOWN\", \"operator\": true}")),
            Map.entry("DELETE /api/partitions/{name}", new Valid(Map.of("name", List.of("debug")), null,
                    "user=root&operator=true")),
            Map.entry("GET /api/events", new Valid(Map.of(), null)),
            Map.entry("GET /api/diagnostics", new Valid(Map.of(), null)),
            Map.entry("POST /api/diagnostics/reset", new Valid(Map.of(), "{}")),
            Map.entry("GET /metrics", new Valid(Map.of(), null)));

    /** The valid body of the operation at this target: an action's own where it needs fields. */
    static String bodyOf(String target, Valid valid) {
        return ACTION_BODIES.getOrDefault(target.substring(target.lastIndexOf('/') + 1), valid.body());
    }
}
