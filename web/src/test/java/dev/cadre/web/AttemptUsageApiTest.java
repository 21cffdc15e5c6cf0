package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.AttemptCpus;
import dev.cadre.db.JobWrites;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ResourceUsage;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/jobs/ID shows what each ended attempt's processes used (the figures sacct's TotalCPU and MaxRSS are made
 * of), and the CPU ids it held on each node that said (scontrol -d show job's CPU_IDs), as the OpenAPI document
 * served describes its attempts: every field answered is one it names.
 */
class AttemptUsageApiTest {
    private static final Instant T = RunningWebServer.T;
    private RunningWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RunningWebServer(WebServer.Limits.DEFAULT);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return MessageCodec.mapper().readTree(r.body());
    }

    /** Requeued after its first attempt, which reported no usage, then completed its second, which did. */
    private long ranTwice(ResourceUsage second) {
        JobRecord job = server.admit(RunningWebServer.spec("twice", "alice"));
        Allocation on = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0)));
        JobRecord first = job.started(1, on, T);
        JobRecord requeued = first.requeued("node n1 stopped", null);
        JobRecord pending = requeued.withState(JobState.PENDING, "Priority");
        JobRecord again = pending.started(2, on, T.plusSeconds(60));
        server.jobs.save(List.of(new JobChange(first, JobState.PENDING, T, null),
                new JobChange(requeued, JobState.RUNNING, T.plusSeconds(30), new AttemptRecord(job.id(), 1, "host1",
                        T, T.plusSeconds(30), JobState.NODE_FAIL, null, null, "node n1 stopped")),
                new JobChange(pending, JobState.REQUEUED, T.plusSeconds(30), null),
                new JobChange(again, JobState.PENDING, T.plusSeconds(60), null),
                new JobChange(again.ended(JobState.COMPLETED, null, 0, 0, T.plusSeconds(90)), JobState.RUNNING,
                        T.plusSeconds(90), new AttemptRecord(job.id(), 2, "host1", T.plusSeconds(60),
                        T.plusSeconds(90), JobState.COMPLETED, 0, 0, null, second))));
        return job.id();
    }

    @Test
    void eachAttemptShowsWhatItUsedOrNullWhenNothingWasReported() throws Exception {
        long id = ranTwice(new ResourceUsage(1_234_567L, 89_000L, 73_400_320L, 312_475_648L, 1_048_576L,
                52_428_800L));
        JsonNode attempts = get("/api/jobs/" + id).path("attempts");
        assertEquals(2, attempts.size(), attempts.toString());
        assertTrue(attempts.get(0).path("usage").isNull(), attempts.toString());
        assertEquals(MessageCodec.mapper().readTree("{\"userCpuMicros\": 1234567, \"systemCpuMicros\": 89000,"
                + " \"maxRssBytes\": 73400320, \"maxVmSizeBytes\": 312475648, \"diskReadBytes\": 1048576,"
                + " \"diskWriteBytes\": 52428800}"), attempts.get(1).path("usage"));

        long partly = ranTwice(new ResourceUsage(5L, 6L, null));
        JsonNode usage = get("/api/jobs/" + partly).path("attempts").get(1).path("usage");
        for (String figure : List.of("maxRssBytes", "maxVmSizeBytes", "diskReadBytes", "diskWriteBytes")) {
            assertTrue(usage.has(figure) && usage.path(figure).isNull(), "a figure the node could not read is null: "
                    + figure + " in " + usage);
        }
    }

    /** The second attempt of {@link #ranTwice} as its two nodes said, the other node first in the allocation. */
    private long ranTwiceSaidOnTwoNodes() {
        long id = ranTwice(new ResourceUsage(1L, 2L, 3L));
        List<AttemptCpus> said = List.of(new AttemptCpus(id, 2, "n1", 1, "host1", "", 100),
                new AttemptCpus(id, 2, "n2", 0, "host2", "0-1", 100, List.of(0, 1)));
        server.jobs.save(new JobWrites(List.of(), List.of(), List.of(), Map.of(), said, List.of(), List.of(), null));
        return id;
    }

    @Test
    void eachAttemptShowsTheCpusAndGpusItsNodesSaidInTheAllocationsOrderOrNull() throws Exception {
        JsonNode attempts = get("/api/jobs/" + ranTwiceSaidOnTwoNodes()).path("attempts");
        assertTrue(attempts.get(0).has("cpus") && attempts.get(0).path("cpus").isNull(), attempts.toString());
        assertEquals(MessageCodec.mapper().readTree("[{\"nodeId\": \"n2\", \"hostname\": \"host2\", \"cpus\": \"0-1\","
                + " \"memoryMb\": 100, \"gpus\": [0, 1], \"gpuTypes\": null}, {\"nodeId\": \"n1\", \"hostname\":"
                + " \"host1\", \"cpus\": \"\", \"memoryMb\": 100, \"gpus\": null, \"gpuTypes\": null}]"),
                attempts.get(1).path("cpus"));
    }

    /** The GPUs a node said an attempt held, by the types the node gives them. */
    @Test
    void anAttemptsGpusOnANodeWhoseGpusHaveTypesAreNamedByType() throws Exception {
        long id = ranTwiceSaidOnTwoNodes();
        server.nodes.upsert(new NodeRecord("n2", "host2", List.of(), 4, 1024, 3, NodeRecord.NodeState.UP, T, null,
                null, Map.of("a100", List.of(0, 2), "v100", List.of(1))));
        JsonNode n2 = get("/api/jobs/" + id).path("attempts").get(1).path("cpus").get(0);
        assertEquals(MessageCodec.mapper().readTree("{\"a100\": [0], \"v100\": [1]}"), n2.path("gpuTypes"),
                n2.toString());
        JsonNode node = get("/api/nodes").get(0);
        assertEquals(MessageCodec.mapper().readTree("{\"a100\": [0, 2], \"v100\": [1]}"), node.path("gpuTypes"));
    }

    @Test
    void theServedDocumentNamesEveryFieldOfAnAttemptItsUsageAndItsCpus() throws Exception {
        long id = ranTwiceSaidOnTwoNodes();
        JsonNode attempt = get("/api/jobs/" + id).path("attempts").get(1);
        JsonNode schemas = get("/api/openapi.json").path("components").path("schemas");
        JsonNode documented = schemas.path("Attempt").path("properties");
        List<String> missing = new ArrayList<>();
        attempt.fieldNames().forEachRemaining(f -> {
            if (!documented.has(f)) {
                missing.add(f);
            }
        });
        JsonNode usage = documented.path("usage");
        JsonNode usageFields = usage.has("$ref") ? schemas.path(usage.path("$ref").asText()
                .replace("#/components/schemas/", "")).path("properties") : usage.path("properties");
        attempt.path("usage").fieldNames().forEachRemaining(f -> {
            if (!usageFields.has(f)) {
                missing.add("usage." + f);
            }
        });
        JsonNode cpusFields = documented.path("cpus").path("items").path("properties");
        attempt.path("cpus").get(0).fieldNames().forEachRemaining(f -> {
            if (!cpusFields.has(f)) {
                missing.add("cpus[]." + f);
            }
        });
        assertEquals(List.of(), missing, "answered but not in the OpenAPI document's Attempt");
    }
}
