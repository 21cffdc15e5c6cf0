package dev.cadre.cli;

import static dev.cadre.cli.RestSession.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * cadre service and /api/services against a real head in this JVM: names are checked before they reach a path,
 * refusals carry their status and field, a create sent twice is harmless, and a service scales without an
 * outage. Services here have 0 replicas unless a test needs instances: nothing runs.
 */
class ServiceRequestsTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private static RestSession rest;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void openSession() throws Exception {
        rest = RestSession.of(head);
    }

    private int cadreService(String... args) {
        out.reset();
        err.reset();
        return new ServiceCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), head.clientFile().toString()).run(List.of(args));
    }

    private static JsonNode listed(String name) throws Exception {
        for (JsonNode s : rest.ok("GET", "/api/services", null)) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static void awaitInstances(String name, int count) throws InterruptedException {
        CadreProcess.await(name + " to have " + count + " instances", InJvmHead.WAIT, () -> {
            try {
                JsonNode s = listed(name);
                return s.path("running").asInt() + s.path("pending").asInt() == count;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static String spec(String name, String replicas) {
        return "{\"name\":\"" + name + "\"," + (replicas == null ? "" : "\"replicas\":" + replicas + ",")
                + "\"template\":{\"user\":\"alice\",\"script\":\"#!/bin/sh\\nsleep 300\\n\",\"workDir\":\"/tmp\"}}";
    }

    @Test
    void aNameIsCheckedBeforeItGoesIntoAPath() throws Exception {
        assertEquals(0, cadreService("create", "--name", "mix", "--replicas", "0", "--", "sleep", "300"),
                err.toString());
        assertEquals(2, cadreService("delete", "mix?x"));
        assertTrue(err.toString().contains("service name is 'mix?x'; it must be 1 to 63 letters"), err.toString());
        assertEquals(2, cadreService("delete", "a b"));
        assertTrue(err.toString().contains("service name is 'a b'"), err.toString());
        assertEquals(2, cadreService("update", "mix/x", "--replicas", "1"));
        assertEquals(2, cadreService("create", "--name", "-x", "--replicas", "0", "--", "true"));
        assertTrue(listed("mix") != null && listed("mix").path("state").asText().equals("ACTIVE"),
                "mix was not touched");

        refused(400, "name", rest.http("DELETE", "/api/services/mix?x", null));
        refused(400, "name", rest.http("DELETE", "/api/services/a%20b", null));
        refused(400, "name", rest.http("POST", "/api/services/mix?x", "{\"replicas\":1}"));
        assertEquals("ACTIVE", listed("mix").path("state").asText(), "mix was not touched");
        assertEquals(0, cadreService("delete", "mix"), err.toString());
    }

    @Test
    void refusalsAreTypedAndNameTheirField() throws Exception {
        JsonNode missing = refused(400, "service.replicas", rest.http("POST", "/api/services", spec("norep", null)));
        assertEquals("service.replicas: expected an integer, got nothing (the field is missing)",
                missing.path("detail").asText());
        refused(400, "service.replicas", rest.http("POST", "/api/services", spec("typed", "\"3\"")));
        refused(400, "service.name", rest.http("POST", "/api/services", spec("-bad", "1")));
        refused(404, null, rest.http("POST", "/api/services/no-such-service", "{\"replicas\":1}"));
        refused(404, null, rest.http("DELETE", "/api/services/no-such-service", null));

        rest.ok("POST", "/api/services", spec("twice", "0"));
        JsonNode same = refused(409, null, rest.http("POST", "/api/services", spec("twice", "0")));
        assertTrue(same.path("detail").asText().startsWith("service twice already exists (ACTIVE)"), same.toString());
        JsonNode other = refused(409, null, rest.http("POST", "/api/services", spec("twice", "1")));
        assertTrue(other.path("detail").asText().contains("already exists"), other.toString());
        refused(400, "replicas", rest.http("POST", "/api/services/twice", "{\"replicas\":-1}"));
        refused(400, "replicas", rest.http("POST", "/api/services/twice", "{\"replicas\":\"2\"}"));
        refused(400, "replicaz", rest.http("POST", "/api/services/twice", "{\"replicaz\":2}"));
        refused(400, "replicas", rest.http("POST", "/api/services/twice", "{}"));
        rest.ok("DELETE", "/api/services/twice", null);
    }

    @Test
    void aSecondCreateOfANameIsRefusedSayingWhatToDoInstead() throws Exception {
        assertEquals(0, cadreService("create", "--name", "again", "--replicas", "0", "--", "sleep", "300"),
                err.toString());
        assertEquals(1, cadreService("create", "--name", "again", "--replicas", "0", "--", "sleep", "300"));
        assertEquals("", out.toString(), "no 'Created'");
        assertTrue(err.toString().startsWith("cadre service: service again already exists (ACTIVE): cadre service"
                + " update again --replicas N changes its size"), err.toString());
        assertEquals(0, cadreService("delete", "again"), err.toString());
    }

    @Test
    void createReadsItsOptionsAsSbatchDoes() throws Exception {
        assertEquals(0, cadreService("create", "--name", "opts", "--replicas=0", "-c2", "-o", "-n", "-t5",
                "--max-failures", "4", "--", "sleep", "300"), err.toString());
        JsonNode s = listed("opts");
        assertEquals(2, s.path("spec").path("template").path("cpusPerTask").asInt(), "-c2 is -c 2");
        assertEquals("-n", s.path("spec").path("template").path("stdout").asText(), "a value is never an option");
        assertEquals(300, s.path("spec").path("template").path("timeLimitSeconds").asInt());
        assertEquals(0, cadreService("delete", "opts"), err.toString());
        assertEquals(2, cadreService("create", "--name", "-x", "--replicas", "0", "--", "true"));
        assertTrue(err.toString().contains("service name is '-x'"), err.toString());
        assertEquals(2, cadreService("create", "--name", "q", "--replicas", "0", "-q", "--", "true"));
        assertTrue(err.toString().startsWith("cadre service: invalid option -- 'q'"), err.toString());
    }

    @Test
    void listShowsTheBudgetAndPendingAndShowListsTheInstances() throws Exception {
        assertEquals(0, cadreService("create", "--name", "shown", "--replicas", "2", "-D", head.base.toString(),
                "--", "sleep", "300"), err.toString());
        awaitInstances("shown", 2);
        assertEquals(0, cadreService("list"), err.toString());
        String header = out.toString().lines().findFirst().orElse("");
        assertTrue(header.matches("NAME +REPLICAS +RUNNING +PENDING +FAILURES +STATE +NEXT +LAST_ERROR"), header);
        String line = out.toString().lines().filter(l -> l.startsWith("shown ")).findFirst().orElse("");
        assertTrue(line.matches("shown +2 +\\d +\\d +0/10 +ACTIVE +- *"), line);
        JsonNode rest1 = listed("shown");
        assertEquals(10, rest1.path("failureBudget").asInt(), "the default budget is shown");
        assertEquals(30, rest1.path("nodeFailureBudget").asInt());
        assertEquals(0, cadreService("show", "shown"), err.toString());
        JsonNode one = rest.ok("GET", "/api/services/shown", null);
        assertEquals(2, one.path("instances").size());
        for (JsonNode j : one.path("instances")) {
            assertEquals("shown", j.path("service").asText());
            assertTrue(out.toString().contains("\n" + j.path("id").asText() + " "), out.toString());
        }
        refused(404, null, rest.http("GET", "/api/services/no-such-service", null));
        assertEquals(0, cadreService("update", "shown", "--reset"), err.toString());
        assertTrue(out.toString().contains("failure count reset (ACTIVE)"), out.toString());
        assertEquals(0, cadreService("delete", "shown", "--wait", "--timeout", "60"), err.toString());
        assertEquals("Deleted service shown\n", out.toString());
        assertEquals(null, listed("shown"), "gone when delete --wait returns");
        assertEquals(0, cadreService("create", "--name", "shown", "--replicas", "0", "--", "sleep", "300"),
                "a create right after delete --wait: " + err);
        assertEquals(0, cadreService("delete", "shown"), err.toString());
    }

    @Test
    void aTemplateNoNodeCouldHoldIsRefusedAsSbatchIs() throws Exception {
        assertEquals(1, cadreService("create", "--name", "big", "--replicas", "1", "-N", "50", "--", "sleep", "100"));
        assertTrue(err.toString().contains("service.template.nodes: asks 50 nodes"), err.toString());
        assertEquals(null, listed("big"));
    }

    @Test
    void aServiceScalesUpAndDownWithoutBeingDeleted() throws Exception {
        assertEquals(0, cadreService("create", "--name", "scaled", "--replicas", "0", "-D", head.base.toString(), "--",
                "sleep", "300"),
                err.toString());
        assertEquals(0, cadreService("update", "scaled", "--replicas", "2"), err.toString());
        assertTrue(out.toString().contains("Updated service scaled to 2 replicas"), out.toString());
        awaitInstances("scaled", 2);
        assertEquals(0, cadreService("update", "scaled", "--replicas", "0", "--max-failures", "4"), err.toString());
        awaitInstances("scaled", 0);
        JsonNode s = listed("scaled");
        assertEquals(0, s.path("replicas").asInt());
        assertEquals(4, s.path("spec").path("maxConsecutiveFailures").asInt());
        assertEquals(2, cadreService("update", "scaled"));
        assertEquals(0, cadreService("delete", "scaled"), err.toString());
    }
}
