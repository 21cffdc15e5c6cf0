package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.ClientFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every REST endpoint against a whole head with a local node in this JVM (real Jetty, broker, scheduler, SQLite):
 * what each answers, and how each refuses a missing or wrong token, bad JSON, bad parameters and unknown ids.
 */
class RestApiIntegrationTest {
    private static final Path DOCUMENT = CadreProcess.ROOT.resolve("docs/openapi.json");
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static ClientFile client;

    @BeforeAll
    static void readClientFile() throws Exception {
        client = ClientFile.read(HEAD.clientFile());
        rest = RestSession.of(HEAD);
    }

    private static RestSession rest;

    static HttpResponse<String> http(String method, String path, String body) throws Exception {
        return rest.http(method, path, body);
    }

    static JsonNode ok(String method, String path, String body) throws Exception {
        return rest.ok(method, path, body);
    }

    /** A refusal: the status, problem+json, and the field at fault where one is named. */
    static JsonNode refused(int status, String field, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = RestCall.json(r);
        assertEquals(status, p.path("status").asInt());
        assertFalse(p.path("detail").asText().isBlank());
        if (field != null) {
            assertEquals(field, p.path("field").asText(), p.toString());
        }
        return p;
    }

    static long submit(String name, String user, String command) throws Exception {
        return rest.submit(name, user, command);
    }

    static JsonNode awaitJob(long id, Predicate<JsonNode> condition, String what) throws Exception {
        return rest.awaitJob(id, condition, what);
    }

    static JsonNode awaitState(long id, String state) throws Exception {
        return rest.awaitState(id, state);
    }

    private static long total(String query) throws Exception {
        HttpResponse<String> r = http("GET", "/api/jobs?" + query, null);
        assertEquals(200, r.statusCode(), r.body());
        return Long.parseLong(r.headers().firstValue("X-Total-Count").orElseThrow());
    }

    /** Each documented operation with its path parameters filled in. */
    private static List<String[]> documentedOperations() throws Exception {
        JsonNode paths = dev.cadre.protocol.MessageCodec.mapper().readTree(Files.readString(DOCUMENT)).path("paths");
        List<String[]> out = new ArrayList<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext();) {
            String template = it.next();
            for (Iterator<String> m = paths.path(template).fieldNames(); m.hasNext();) {
                out.add(new String[] {m.next().toUpperCase(), template, template.replace("{id}", "1")
                        .replace("{action}", "cancel").replace("{name}", "web")});
            }
        }
        return out;
    }

    @Test
    void theOpenApiDocumentIsServedAsDocsHasItAndDocumentsEveryRoute() throws Exception {
        HttpResponse<String> served = RestCall.send(client.httpUrl(), "GET", "/api/openapi.json", null, null);
        assertEquals(200, served.statusCode(), "served without a token");
        assertEquals(Files.readString(DOCUMENT), served.body(), "the served document is docs/openapi.json");
        TreeSet<String> documented = new TreeSet<>();
        documentedOperations().forEach(o -> documented.add(o[0] + " " + o[1]));
        assertEquals(documented, new TreeSet<>(HEAD.operations()), "documented operations vs. served routes");
    }

    @Test
    void everyOperationButTheDocumentRefusesAMissingOrWrongToken() throws Exception {
        for (String[] op : documentedOperations()) {
            if (op[1].equals("/api/openapi.json")) {
                continue;
            }
            String body = op[0].equals("GET") || op[0].equals("DELETE") ? null : "{}";
            HttpResponse<String> none = RestCall.send(client.httpUrl(), op[0], op[2], body, null);
            refused(401, null, none);
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), op[2]);
            refused(403, null, RestCall.send(client.httpUrl(), op[0], op[2], body, "not-the-token"));
        }
        // The event streams also take the token as a query parameter, for EventSource, and refuse a wrong one.
        refused(403, null, RestCall.send(client.httpUrl(), "GET", "/api/events?access_token=wrong", null, null));
        refused(401, null, RestCall.send(client.httpUrl(), "GET", "/api/jobs?access_token=" + client.token(), null,
                null));
    }

    @Test
    void aSubmissionIs201WithItsIdAndBadOnesAre400NamingTheFieldAndStoreNothing() throws Exception {
        long id = submit("rest-ok", "alice", "true");
        assertTrue(id > 0);
        long before = total("limit=1");
        refused(400, null, http("POST", "/api/jobs", "{\"spec\": {"));
        refused(400, null, http("POST", "/api/jobs", "[1, 2]"));
        refused(400, "spec.tasks", http("POST", "/api/jobs", "{\"spec\":{\"user\":\"a\",\"script\":\"#!/bin/sh\\n\","
                + "\"workDir\":\"/tmp\",\"tasks\":-1}}"));
        refused(400, "spec.tasks", http("POST", "/api/jobs", "{\"spec\":{\"user\":\"a\",\"script\":\"#!/bin/sh\\n\","
                + "\"workDir\":\"/tmp\",\"tasks\":\"4\"}}"));
        refused(400, "spec.user", http("POST", "/api/jobs", "{\"spec\":{\"script\":\"#!/bin/sh\\n\","
                + "\"workDir\":\"/tmp\"}}"));
        refused(400, "spec.workDir", http("POST", "/api/jobs", "{\"spec\":{\"user\":\"a\",\"script\":\"#!/bin/sh\\n\","
                + "\"workDir\":\"/proc/1\"}}"));
        refused(413, null, http("POST", "/api/jobs", "{\"spec\":\"" + "x".repeat(1_100_000) + "\"}"));
        assertEquals(before, total("limit=1"), "no refused submission was stored");
        refused(400, null, http("POST", "/api/jobs/" + id + "/hold", "{\"admin\": tru"));
        refused(400, null, http("POST", "/api/services", "{\"name\": \"web\", "));
        assertEquals(0, ok("GET", "/api/services", null).size(), "nothing was created");
    }

    @Test
    void unknownIdsAre404AndOtherMethods405() throws Exception {
        refused(404, null, http("GET", "/api/jobs/987654", null));
        refused(404, null, http("GET", "/api/jobs/987654/output", null));
        refused(404, null, http("POST", "/api/jobs/987654/cancel", null));
        refused(404, null, http("DELETE", "/api/services/no-such-service", null));
        refused(404, null, http("GET", "/api/jobs/not-a-number", null));
        refused(404, null, http("GET", "/api/nothing-here", null));
        HttpResponse<String> wrong = http("DELETE", "/api/jobs", null);
        refused(405, null, wrong);
        assertEquals("GET, POST", wrong.headers().firstValue("Allow").orElse(""));
        refused(405, null, http("GET", "/api/jobs/1/cancel", null));
    }

    @Test
    void theListFiltersSearchesAndPages() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        List<Long> ids = new ArrayList<>();
        for (String[] j : new String[][] {{"sweep-a", "carol"}, {"sweep-b", "carol"}, {"sweep-c", "dave"},
                {"other", "carol"}, {"sweep-d", "dave"}}) {
            ids.add(submit(j[0], j[1], "true"));
        }
        for (long id : ids) {
            awaitState(id, "COMPLETED");
        }
        String mine = "submittedFrom=" + start;
        assertEquals(5, total(mine));
        HttpResponse<String> first = http("GET", "/api/jobs?" + mine + "&order=desc&limit=2", null);
        JsonNode page = RestCall.json(first);
        assertEquals(List.of(ids.get(4), ids.get(3)), List.of(page.get(0).path("id").asLong(),
                page.get(1).path("id").asLong()));
        String link = first.headers().firstValue("Link").orElseThrow();
        assertTrue(link.endsWith(">; rel=\"next\""), link);
        JsonNode second = ok("GET", link.substring(1, link.indexOf('>')), null);
        assertEquals(ids.get(2), second.get(0).path("id").asLong(), "the next page goes on after the cursor");
        JsonNode last = ok("GET", "/api/jobs?" + mine + "&order=desc&limit=2&after=" + ids.get(1), null);
        assertEquals(1, last.size());
        assertTrue(http("GET", "/api/jobs?" + mine + "&order=desc&limit=2&after=" + ids.get(1), null).headers()
                .firstValue("Link").isEmpty(), "no next link after a page that is not full");

        assertEquals(4, total(mine + "&q=SWEEP"));
        assertEquals(2, total(mine + "&q=sweep&user=dave"));
        assertEquals(1, total(mine + "&name=other"));
        assertEquals(1, total(mine + "&q=" + ids.get(3)));
        assertEquals(5, total(mine + "&state=COMPLETED&endedFrom=" + start));
        assertEquals(0, total(mine + "&state=PENDING,RUNNING"));
        String host = ok("GET", "/api/nodes", null).get(0).path("hostname").asText();
        String nodeId = ok("GET", "/api/nodes", null).get(0).path("id").asText();
        assertEquals(5, total(mine + "&node=" + host));
        assertEquals(5, total(mine + "&node=" + nodeId), "a node by its id");
        assertEquals(0, total(mine + "&node=elsewhere"));
        assertEquals(0, total("submittedFrom=" + Instant.now().plusSeconds(3600)));
        refused(400, "startedTo", http("GET", "/api/jobs?startedTo=soon", null));
        refused(400, "limit", http("GET", "/api/jobs?limit=0", null));
        refused(400, "state", http("GET", "/api/jobs?state=DREAMING", null));
        refused(400, "sort", http("GET", "/api/jobs?sort=name", null));
    }

    @Test
    void oneJobHasItsSpecStateReasonTimesAndAttemptsWithErrors() throws Exception {
        long failed = submit("fails", "alice", "echo oops >&2; exit 3");
        JsonNode j = awaitState(failed, "FAILED");
        assertEquals("NonZeroExitCode", j.path("reason").asText());
        assertEquals(3, j.path("exitCode").asInt());
        assertEquals("#!/bin/sh\necho oops >&2; exit 3\n", j.path("spec").path("script").asText());
        assertNotNull(j.get("submitTime"));
        assertNotNull(j.get("endTime"));
        JsonNode attempt = j.path("attempts").get(0);
        assertEquals("FAILED", attempt.path("state").asText());
        assertEquals(3, attempt.path("exitCode").asInt());
        assertFalse(attempt.path("nodes").asText().isEmpty());
        assertTrue(ok("GET", "/api/jobs?limit=5", null).get(0).path("spec").isMissingNode(), "lists leave specs out");

        String held = "{\"spec\":{\"user\":\"alice\",\"script\":\"#!/bin/sh\\ntrue\\n\",\"workDir\":\"/tmp\","
                + "\"hold\":\"user\"}}";
        long waiting = ok("POST", "/api/jobs", held).path("jobId").asLong();
        JsonNode pending = awaitJob(waiting, p -> p.path("reason").asText().equals("JobHeldUser"), "to wait held");
        assertEquals("PENDING", pending.path("state").asText());
        assertEquals(0, pending.path("attempts").size());
        ok("POST", "/api/jobs/" + waiting + "/cancel", null);
    }

    @Test
    void nodesTheClusterAndItsHistoryShowWhatJobsHold() throws Exception {
        String sleeper = "{\"spec\":{\"user\":\"alice\",\"script\":\"#!/bin/sh\\nexec sleep 300\\n\",\"workDir\":\"/tmp\","
                + "\"cpusPerTask\":3}}";
        long id = ok("POST", "/api/jobs", sleeper).path("jobId").asLong();
        awaitState(id, "RUNNING");
        JsonNode node = ok("GET", "/api/nodes", null).get(0);
        assertEquals("UP", node.path("state").asText());
        assertEquals(4, node.path("cores").asInt());
        assertEquals(3, node.path("allocated").path("cores").asInt());
        assertEquals(id, node.path("allocated").path("jobIds").get(0).asLong());

        JsonNode cluster = ok("GET", "/api/cluster", null);
        assertEquals(1, cluster.path("nodes").path("up").asInt());
        assertEquals(0, cluster.path("nodes").path("down").asInt());
        assertEquals(4, cluster.path("cores").path("total").asInt());
        assertEquals(3, cluster.path("cores").path("allocated").asInt());
        assertTrue(cluster.path("jobs").path("RUNNING").asInt() >= 1);
        assertTrue(cluster.path("running").asInt() >= 1);
        assertTrue(cluster.path("jobs").has("NODE_FAIL"), "every state is counted, zeros too");

        JsonNode history = ok("GET", "/api/cluster/history?minutes=5&points=10", null);
        assertEquals(10, history.path("points").size());
        assertEquals(4, history.path("coresTotal").asInt());
        JsonNode now = history.path("points").get(9);
        assertTrue(now.path("coresAllocated").asInt() >= 3, history.toString());
        refused(400, "minutes", http("GET", "/api/cluster/history?minutes=0", null));
        refused(400, "points", http("GET", "/api/cluster/history?points=1", null));
        refused(400, "from", http("GET", "/api/cluster/history?from=yesterday", null));

        ok("POST", "/api/jobs/" + id + "/cancel", null);
        awaitState(id, "CANCELLED");
        assertEquals(0, ok("GET", "/api/nodes", null).get(0).path("allocated").path("cores").asInt());
        assertTrue(ok("GET", "/api/services", null).isArray());
    }
}
