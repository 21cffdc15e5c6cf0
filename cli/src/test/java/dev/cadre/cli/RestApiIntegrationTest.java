package dev.cadre.cli;

import static dev.cadre.cli.RestSession.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.ClientFile;
import dev.cadre.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
    private static RestSession rest;

    @BeforeAll
    static void openSession() throws Exception {
        rest = RestSession.of(HEAD);
    }

    private static long total(String query) throws Exception {
        HttpResponse<String> r = rest.http("GET", "/api/jobs?" + query, null);
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
                        .replace("{action}", template.startsWith("/api/nodes/") ? "drain" : "cancel")
                        .replace("{name}", "web")});
            }
        }
        return out;
    }

    @Test
    void theOpenApiDocumentIsServedAsDocsHasItAndDocumentsEveryRoute() throws Exception {
        ClientFile client = rest.client();
        HttpResponse<String> served = RestCall.send(client.httpUrl(), "GET", "/api/openapi.json", null, null);
        assertEquals(200, served.statusCode(), "served without a token");
        assertEquals(Files.readString(DOCUMENT), served.body(), "the served document is docs/openapi.json");
        TreeSet<String> documented = new TreeSet<>();
        documentedOperations().forEach(o -> documented.add(o[0] + " " + o[1]));
        assertEquals(documented, new TreeSet<>(HEAD.operations()), "documented operations vs. served routes");
    }

    @Test
    void everyOperationButTheDocumentRefusesAMissingOrWrongToken() throws Exception {
        ClientFile client = rest.client();
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
        long id = rest.submit("rest-ok", "alice", "true");
        assertTrue(id > 0);
        long before = total("limit=1");
        refused(400, null, rest.http("POST", "/api/jobs", "{\"spec\": {"));
        refused(400, null, rest.http("POST", "/api/jobs", "[1, 2]"));
        refused(400, "spec.tasks", rest.http("POST", "/api/jobs", "{\"spec\":{\"user\":\"a\","
                + "\"script\":\"#!/bin/sh\\n\",\"workDir\":\"/tmp\",\"tasks\":-1}}"));
        refused(400, "spec.tasks", rest.http("POST", "/api/jobs", "{\"spec\":{\"user\":\"a\","
                + "\"script\":\"#!/bin/sh\\n\",\"workDir\":\"/tmp\",\"tasks\":\"4\"}}"));
        refused(400, "spec.user", rest.http("POST", "/api/jobs", "{\"spec\":{\"script\":\"#!/bin/sh\\n\","
                + "\"workDir\":\"/tmp\"}}"));
        refused(400, "spec.workDir", rest.http("POST", "/api/jobs", "{\"spec\":{\"user\":\"a\","
                + "\"script\":\"#!/bin/sh\\n\",\"workDir\":\"/proc/1\"}}"));
        refused(413, null, rest.http("POST", "/api/jobs", "{\"spec\":\"" + "x".repeat(1_100_000) + "\"}"));
        assertEquals(before, total("limit=1"), "no refused submission was stored");
        refused(400, null, rest.http("POST", "/api/jobs/" + id + "/hold", "{\"admin\": tru"));
        refused(400, null, rest.http("POST", "/api/services", "{\"name\": \"web\", "));
        assertEquals(0, rest.ok("GET", "/api/services", null).size(), "nothing was created");
    }

    @Test
    void unknownIdsAre404AndOtherMethods405() throws Exception {
        refused(404, null, rest.http("GET", "/api/jobs/987654", null));
        refused(404, null, rest.http("GET", "/api/jobs/987654/output", null));
        refused(404, null, rest.http("POST", "/api/jobs/987654/cancel", null));
        refused(404, null, rest.http("DELETE", "/api/services/no-such-service", null));
        refused(404, null, rest.http("GET", "/api/jobs/not-a-number", null));
        refused(404, null, rest.http("GET", "/api/nothing-here", null));
        HttpResponse<String> wrong = rest.http("DELETE", "/api/jobs", null);
        refused(405, null, wrong);
        assertEquals("GET, POST", wrong.headers().firstValue("Allow").orElse(""));
        refused(405, null, rest.http("GET", "/api/jobs/1/cancel", null));
    }

    @Test
    void theListFiltersSearchesAndPages() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        List<Long> ids = new ArrayList<>();
        for (String[] j : new String[][] {{"sweep-a", "carol"}, {"sweep-b", "carol"}, {"sweep-c", "dave"},
                {"other", "carol"}, {"sweep-d", "dave"}}) {
            ids.add(rest.submit(j[0], j[1], "true"));
        }
        for (long id : ids) {
            rest.awaitState(id, "COMPLETED");
        }
        String mine = "submittedFrom=" + start;
        assertEquals(5, total(mine));
        HttpResponse<String> first = rest.http("GET", "/api/jobs?" + mine + "&order=desc&limit=2", null);
        JsonNode page = RestCall.json(first);
        assertEquals(List.of(ids.get(4), ids.get(3)), List.of(page.get(0).path("id").asLong(),
                page.get(1).path("id").asLong()));
        String link = first.headers().firstValue("Link").orElseThrow();
        assertTrue(link.endsWith(">; rel=\"next\""), link);
        JsonNode second = rest.ok("GET", link.substring(1, link.indexOf('>')), null);
        assertEquals(ids.get(2), second.get(0).path("id").asLong(), "the next page goes on after the cursor");
        JsonNode last = rest.ok("GET", "/api/jobs?" + mine + "&order=desc&limit=2&after=" + ids.get(1), null);
        assertEquals(1, last.size());
        assertTrue(rest.http("GET", "/api/jobs?" + mine + "&order=desc&limit=2&after=" + ids.get(1), null).headers()
                .firstValue("Link").isEmpty(), "no next link after a page that is not full");

        assertEquals(4, total(mine + "&q=SWEEP"));
        assertEquals(2, total(mine + "&q=sweep&user=dave"));
        assertEquals(1, total(mine + "&name=other"));
        assertEquals(1, total(mine + "&q=" + ids.get(3)));
        assertEquals(5, total(mine + "&state=COMPLETED&endedFrom=" + start));
        assertEquals(0, total(mine + "&state=PENDING,RUNNING"));
        String host = rest.ok("GET", "/api/nodes", null).get(0).path("hostname").asText();
        String nodeId = rest.ok("GET", "/api/nodes", null).get(0).path("id").asText();
        assertEquals(5, total(mine + "&node=" + host));
        assertEquals(5, total(mine + "&node=" + nodeId), "a node by its id");
        assertEquals(0, total(mine + "&node=elsewhere"));
        assertEquals(0, total("submittedFrom=" + Instant.now().plusSeconds(3600)));
        refused(400, "startedTo", rest.http("GET", "/api/jobs?startedTo=soon", null));
        refused(400, "limit", rest.http("GET", "/api/jobs?limit=0", null));
        refused(400, "state", rest.http("GET", "/api/jobs?state=DREAMING", null));
        refused(400, "sort", rest.http("GET", "/api/jobs?sort=name", null));
        refused(400, "submittedFrom", rest.http("GET", "/api/jobs?submittedFrom=%2B300000000-01-01T00:00:00Z", null));
    }

    @Test
    void aQueryStringThatIsNotPercentEncodedUtf8Is400NotAnInternalError() throws Exception {
        ClientFile client = rest.client();
        for (String query : List.of("state=%zz", "state=%C0", "state=RUNNING%", "%")) {
            for (String token : java.util.Arrays.asList(client.token(), null)) {
                String answer = RestCall.rawGet(client.httpUrl(), "/api/jobs?" + query, token);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), query + " answered " + answer);
                assertTrue(answer.contains("the query string is not valid"), answer);
            }
        }
    }

    @Test
    void oneJobHasItsSpecStateReasonTimesAndAttemptsWithErrors() throws Exception {
        long failed = rest.submit("fails", "alice", "echo oops >&2; exit 3");
        JsonNode j = rest.awaitState(failed, "FAILED");
        assertEquals("NonZeroExitCode", j.path("reason").asText());
        assertEquals(3, j.path("exitCode").asInt());
        assertEquals("#!/bin/sh\necho oops >&2; exit 3\n", j.path("spec").path("script").asText());
        assertNotNull(j.get("submitTime"));
        assertNotNull(j.get("endTime"));
        JsonNode attempt = j.path("attempts").get(0);
        assertEquals("FAILED", attempt.path("state").asText());
        assertEquals(3, attempt.path("exitCode").asInt());
        assertFalse(attempt.path("nodes").asText().isEmpty());
        assertTrue(rest.ok("GET", "/api/jobs?limit=5", null).get(0).path("spec").isMissingNode(),
                "lists leave specs out");

        long waiting = rest.submit("held", "alice", "true", Map.of("hold", "user"));
        JsonNode pending = rest.awaitJob(waiting, p -> p.path("reason").asText().equals("JobHeldUser"), "to wait held");
        assertEquals("PENDING", pending.path("state").asText());
        assertEquals(0, pending.path("attempts").size());
        rest.ok("POST", "/api/jobs/" + waiting + "/cancel", null);
    }

    @Test
    void nodesTheClusterAndItsHistoryShowWhatJobsHold() throws Exception {
        // The head is the class's: a job of a test before (aSubmission's rest-ok) may still hold a core, or be
        // first among the node's jobs, until its end is recorded.
        Await.until("the node to hold no job", Duration.ofSeconds(60), () -> {
            try {
                return rest.ok("GET", "/api/nodes", null).get(0).path("allocated").path("cores").asInt() == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long id = rest.submit("sleeper", "alice", "exec sleep 300", Map.of("cpusPerTask", 3));
        rest.awaitState(id, "RUNNING");
        JsonNode node = rest.ok("GET", "/api/nodes", null).get(0);
        assertEquals("UP", node.path("state").asText());
        assertEquals(4, node.path("cores").asInt());
        assertEquals(3, node.path("allocated").path("cores").asInt());
        assertEquals(id, node.path("allocated").path("jobIds").get(0).asLong());

        JsonNode cluster = rest.ok("GET", "/api/cluster", null);
        assertEquals(1, cluster.path("nodes").path("up").asInt());
        assertEquals(0, cluster.path("nodes").path("down").asInt());
        assertEquals(4, cluster.path("cores").path("total").asInt());
        assertEquals(3, cluster.path("cores").path("allocated").asInt());
        assertTrue(cluster.path("jobs").path("RUNNING").asInt() >= 1);
        assertTrue(cluster.path("running").asInt() >= 1);
        assertTrue(cluster.path("jobs").has("NODE_FAIL"), "every state is counted, zeros too");

        JsonNode history = rest.ok("GET", "/api/cluster/history?minutes=5&points=10", null);
        assertEquals(10, history.path("points").size());
        assertEquals(4, history.path("coresTotal").asInt());
        JsonNode now = history.path("points").get(9);
        assertTrue(now.path("coresAllocated").asInt() >= 3, history.toString());
        refused(400, "minutes", rest.http("GET", "/api/cluster/history?minutes=0", null));
        refused(400, "points", rest.http("GET", "/api/cluster/history?points=1", null));
        refused(400, "from", rest.http("GET", "/api/cluster/history?from=yesterday", null));

        rest.ok("POST", "/api/jobs/" + id + "/cancel", null);
        rest.awaitState(id, "CANCELLED");
        assertEquals(0, rest.ok("GET", "/api/nodes", null).get(0).path("allocated").path("cores").asInt());
        assertTrue(rest.ok("GET", "/api/services", null).isArray());
    }
}
