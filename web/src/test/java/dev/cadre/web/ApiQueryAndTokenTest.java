package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every route takes besides its path, against real Jetty over plain sockets: the Authorization scheme in any
 * case, no query parameter it does not know, none twice, and the token in the URL only where a browser's
 * EventSource needs it.
 */
class ApiQueryAndTokenTest {
    /** The routes that take the token as access_token (an EventSource cannot send headers). */
    private static final List<String> STREAMS = List.of("/api/events", "/api/jobs/{id}/output");
    private RunningWebServer server;
    private long job;

    @BeforeEach
    void start() throws Exception {
        server = new RunningWebServer(WebServer.Limits.DEFAULT);
        job = server.admit(RunningWebServer.spec("waits", "alice")).id();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theBearerSchemeIsTakenInAnyCase() throws Exception {
        String token = server.users.restToken();
        for (String scheme : List.of("Bearer", "bearer", "BEARER", "bEaReR")) {
            RawHttp r = RawHttp.send(server, "GET", "/api/cluster", scheme + " " + token);
            assertEquals(200, r.status(), scheme + ": " + r);
            assertEquals(403, RawHttp.send(server, "GET", "/api/cluster", scheme + " not-the-token").status(), scheme);
        }
        for (String other : List.of("Basic " + token, "Bearer" + token, token, "bearer")) {
            RawHttp r = RawHttp.send(server, "GET", "/api/cluster", other);
            assertEquals(401, r.status(), other + ": " + r);
            assertTrue(r.headers().getOrDefault("www-authenticate", "").startsWith("Bearer"), r.toString());
        }
    }

    @Test
    void everyRouteRefusesAQueryParameterItDoesNotTakeNamingIt() throws Exception {
        for (String operation : server.web.operations()) {
            String[] op = operation.split(" ");
            RawHttp r = RawHttp.send(server, op[0], path(op[1]) + "?color=blue");
            assertEquals(400, r.status(), operation + ": " + r);
            assertEquals("application/problem+json", r.headers().get("content-type"), operation);
            // A service's name is where a '?' sent unencoded would have belonged (ServiceApi).
            assertEquals(op[1].startsWith("/api/services/") ? "name" : "color", r.field(), operation + ": " + r);
        }
        RawHttp r = RawHttp.send(server, "GET", "/api/nodes?color=blue");
        assertEquals("unknown query parameter 'color'; this takes no query parameters", r.detail());
        r = RawHttp.send(server, "GET", "/api/jobs/" + job + "/output?Tail=5");
        assertEquals("Tail", r.field(), "names are matched exactly: " + r);
        assertTrue(r.detail().endsWith("this takes access_token, attempt, follow, stream, tail"), r.detail());
    }

    @Test
    void aParameterGivenTwiceIsRefusedNamingItRatherThanOneOfItsValuesTaken() throws Exception {
        String token = "access_token=" + server.users.restToken();
        for (String[] c : new String[][] {{"/api/jobs?limit=1&limit=2", "limit"},
                {"/api/jobs?state=RUNNING&user=a&state=PENDING", "state"},
                {"/api/jobs/" + job + "/output?tail=1&tail=2", "tail"},
                {"/api/jobs/" + job + "/output?follow=true&" + token + "&" + token, "access_token"},
                {"/api/cluster/history?points=10&points=10", "points"},
                {"/api/events?lastEventId=a&lastEventId=b", "lastEventId"}}) {
            RawHttp r = RawHttp.send(server, "GET", c[0]);
            assertEquals(400, r.status(), c[0] + ": " + r);
            assertEquals(c[1], r.field(), c[0]);
            assertTrue(r.detail().contains("is given 2 times; give it once"), r.detail());
        }
    }

    @Test
    void aTokenInTheUrlIsRefusedWhereverAHeaderCanCarryIt() throws Exception {
        String token = "?access_token=" + server.users.restToken();
        for (String operation : server.web.operations()) {
            String[] op = operation.split(" ");
            if (STREAMS.contains(op[1])) {
                continue;
            }
            RawHttp beside = RawHttp.send(server, op[0], path(op[1]) + token);
            assertEquals(400, beside.status(), operation + ": " + beside);
            assertEquals("access_token", beside.field(), operation + ": " + beside);
            assertTrue(beside.detail().contains("taken only by the event streams"), beside.detail());
            if (!op[1].equals("/api/openapi.json")) {
                RawHttp alone = RawHttp.send(server, op[0], path(op[1]) + token, null);
                assertEquals(401, alone.status(), operation + ": " + alone);
                assertTrue(alone.detail().contains("this route does not take ?access_token="), alone.detail());
            }
        }
        // The event stream still takes it: the status page's EventSource opens /api/events this way.
        RawHttp events = RawHttp.send(server, "GET", "/api/events" + token, null);
        assertEquals(200, events.status(), events.toString());
        assertTrue(events.headers().get("content-type").startsWith("text/event-stream"), events.toString());
    }

    private String path(String template) {
        return template.replace("{id}", Long.toString(job)).replace("{action}",
                template.startsWith("/api/nodes/") ? "drain" : "hold").replace("{name}", "web");
    }
}
