package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a spec works out from its own fields: hosts, array tasks, task counts. */
class JobSpecTest {
    private static final JobSpec OK = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();

    @Test
    void hostsAndTheArrayAreWorkedOutOncePerSpec() throws Exception {
        JobSpec spec = OK.toBuilder().nodelist(List.of("h[1-3]", "h2")).exclude(List.of("x[1-2]"))
                .array("0-20:2,1-20:3%4").build();
        // The scheduler asks on every pass under its lock: the same answer, not a fresh expansion each time.
        assertSame(spec.requiredHosts(), spec.requiredHosts());
        assertSame(spec.excludedHosts(), spec.excludedHosts());
        assertSame(spec.arraySpec(), spec.arraySpec());
        assertEquals(List.of("h1", "h2", "h3"), spec.requiredHosts());
        assertEquals(List.of("x1", "x2"), spec.excludedHosts());
        assertEquals(4, spec.arraySpec().throttle());
        JobSpec copy = spec.toBuilder().name("other").build();
        assertSame(spec.requiredHosts(), copy.requiredHosts(), "a copy keeps the expansion of its lists");

        String json = MessageCodec.encodeValue(spec);
        assertTrue(json.contains("\"nodelist\":[\"h[1-3]\",\"h2\"],\"exclude\":[\"x[1-2]\"]"), json);
        JobSpec decoded = MessageCodec.mapper().readValue(json, JobSpec.class);
        assertEquals(spec, decoded);
        assertEquals(spec.hashCode(), decoded.hashCode());
        assertEquals(List.of("h[1-3]", "h2"), decoded.nodelist());
        assertEquals(decoded.nodelist(), List.of("h[1-3]", "h2"));
        assertEquals(spec.requiredHosts(), decoded.requiredHosts());
    }

    @Test
    void listsAndTheEnvironmentAreCopiedNullsIncluded() {
        List<String> args = new ArrayList<>(Arrays.asList("a", null));
        Map<String, String> env = new HashMap<>();
        env.put("A", null);
        List<String> hosts = new ArrayList<>(Arrays.asList((String) null));
        JobSpec spec = OK.toBuilder().args(args).environment(env).nodelist(hosts).exclude(hosts).build();
        args.clear();
        env.clear();
        hosts.clear();
        assertEquals(Arrays.asList("a", null), spec.args());
        assertEquals(1, spec.environment().size());
        assertEquals(Arrays.asList((String) null), spec.nodelist());
        assertEquals(List.of("spec.args[1]", "spec.environment.A", "spec.nodelist[0]", "spec.exclude[0]"),
                JobSpecValidator.validate(spec).stream().map(JobSpecValidator.Problem::field).toList());
        assertNull(OK.toBuilder().nodelist(List.of()).build().nodelist(), "empty stays off the wire");
    }

    @Test
    void theDefaultTaskCountIsWorkedOutPastTheRangeOfAnInt() {
        JobSpec huge = OK.toBuilder().nodes(2_148).tasksPerNode(1_000_000).build();
        assertEquals(Integer.MAX_VALUE, huge.taskCount(), "never negative: such a job fits no cluster");
        assertEquals(6, OK.toBuilder().nodes(3).tasksPerNode(2).build().taskCount());
    }
}
