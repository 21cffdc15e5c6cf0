package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.JobSearch;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;

/** GET /api/jobs's query, read strictly: whatever does not parse is refused naming the parameter. */
class JobListParamsTest {
    private static JobListParams parse(Map<String, String> params) throws ApiException {
        Fields f = new Fields();
        params.forEach(f::add);
        return JobListParams.parse(f, node -> node.equals("vm-1a2b3c4d") ? "vm" : node);
    }

    private static String refusedField(Map<String, String> params) {
        return assertThrows(ApiException.class, () -> parse(params)).field;
    }

    @Test
    void everyFilterAndThePage() throws ApiException {
        JobSearch s = parse(Map.of("state", "PENDING,r", "user", "alice", "q", "sim", "node", "vm-1a2b3c4d",
                "submittedFrom", "2026-11-21T10:00:00Z", "endedTo", "2026-11-22T00:00:00Z", "order", "desc",
                "after", "500", "limit", "50")).search();
        assertEquals(Set.of(JobState.PENDING, JobState.RUNNING), s.states());
        assertEquals("alice", s.user());
        assertEquals("sim", s.text());
        assertEquals("vm", s.node(), "a node id is looked for by its host name");
        assertEquals(Instant.parse("2026-11-21T10:00:00Z"), s.submitted().from());
        assertNull(s.submitted().to());
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), s.ended().to());
        assertTrue(s.started().isAny());
        assertTrue(s.newestFirst());
        assertEquals(500L, s.cursor());
        assertEquals(50, s.limit());
        assertEquals(JobListParams.DEFAULT_LIMIT, parse(Map.of()).search().limit());
    }

    @Test
    void whatDoesNotParseIsRefusedNamingTheParameter() {
        assertEquals("state", refusedField(Map.of("state", "SLEEPING")));
        assertEquals("limit", refusedField(Map.of("limit", "0")));
        assertEquals("limit", refusedField(Map.of("limit", "10001")));
        assertEquals("limit", refusedField(Map.of("limit", "ten")));
        assertEquals("after", refusedField(Map.of("after", "1.5")));
        assertEquals("order", refusedField(Map.of("order", "random")));
        assertEquals("startedFrom", refusedField(Map.of("startedFrom", "yesterday")));
        assertEquals("endedTo", refusedField(Map.of("endedTo", "+300000000-01-01T00:00:00Z")),
                "a year Instant takes but epoch milliseconds cannot hold");
        Fields unknown = new Fields();
        unknown.add("colour", "blue");
        assertEquals("colour", assertThrows(ApiException.class,
                () -> QueryParameters.only(JobListParams.PARAMETERS).check(null, unknown)).field, "the route's rule");
        assertEquals("id", refusedField(Map.of("id", "12_x")));
        assertEquals("q", refusedField(Map.of("id", "12", "q", "x")));
    }

    @Test
    void idsAreLookedUpWithTheFiltersTheyTake() throws ApiException {
        JobListParams p = parse(Map.of("id", "12,40_3", "state", "CD"));
        assertEquals(2, p.ids().size());
        assertEquals(Set.of(JobState.COMPLETED), p.idQuery().states());
    }

    @Test
    void detailIsTrueOrFalseAndKeepsItsPagesSmall() throws ApiException {
        assertTrue(parse(Map.of("id", "12", "detail", "true")).detail());
        assertEquals(JobListParams.DETAIL_LIMIT, parse(Map.of("id", "12", "detail", "true")).search().limit(),
                "a page of jobs with their scripts is 100 unless asked smaller");
        assertEquals(7, parse(Map.of("detail", "true", "limit", "7")).search().limit());
        assertFalse(parse(Map.of("detail", "false")).detail());
        assertEquals(JobListParams.DEFAULT_LIMIT, parse(Map.of("detail", "false")).search().limit());
        assertEquals("detail", refusedField(Map.of("detail", "yes")));
        assertEquals("limit", refusedField(Map.of("detail", "true", "limit", "101")));
    }

    @Test
    void environmentsAreSentUnlessADetailPageIsAskedWithout() throws ApiException {
        assertTrue(parse(Map.of("detail", "true")).environment(), "as before the parameter was there");
        assertTrue(parse(Map.of("detail", "true", "environment", "true")).environment());
        assertFalse(parse(Map.of("detail", "true", "environment", "false")).environment());
        assertEquals("environment", refusedField(Map.of("detail", "true", "environment", "no")));
        assertEquals("environment", refusedField(Map.of("environment", "false")), "a plain list has no spec");
        assertEquals("environment", refusedField(Map.of("detail", "false", "environment", "false")));
    }
}
