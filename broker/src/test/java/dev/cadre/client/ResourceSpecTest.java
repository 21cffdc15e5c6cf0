package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceSpecTest {

    private static String refused(Map<String, ?> spec) {
        return assertThrows(IllegalArgumentException.class, () -> ResourceSpec.fromMap(spec)).getMessage();
    }

    @Test
    void readsParslKeysAndDefaultsTheRest() {
        assertEquals(ResourceSpec.DEFAULT, ResourceSpec.fromMap(null));
        assertEquals(ResourceSpec.DEFAULT, ResourceSpec.fromMap(Map.of()));
        assertEquals(new ResourceSpec(4, 2, 1, 2), ResourceSpec.fromMap(Map.of("num_tasks", 4, "cores_per_task", 2,
                "gpus_per_task", 1, "num_nodes", 2L)));
        Map<String, Object> unset = new HashMap<>();
        unset.put("num_nodes", null);
        unset.put("gpus_per_task", null);
        assertEquals(ResourceSpec.DEFAULT, ResourceSpec.fromMap(unset));
    }

    @Test
    void refusesUnknownKeysNamingThemAndTheAcceptedOnes() {
        String m = refused(Map.of("num_tasks", 1, "cores", 2, "memory", 5));
        assertEquals("Invalid resource specification options supplied: [cores, memory]; the accepted keys are"
                + " num_tasks, cores_per_task, gpus_per_task, num_nodes", m);
    }

    @Test
    void refusesWrongTypesWithTheKeyAndTheValue() {
        assertEquals("resource specification 'num_tasks' must be an integer, not String 4",
                refused(Map.of("num_tasks", "4")));
        assertEquals("resource specification 'cores_per_task' must be an integer, not Double 2.0",
                refused(Map.of("cores_per_task", 2.0)));
        assertEquals("resource specification 'num_nodes' must be an integer, not Boolean true",
                refused(Map.of("num_nodes", true)));
        assertEquals("resource specification 'num_tasks' must be an integer, not Long 4294967296",
                refused(Map.of("num_tasks", 1L << 32)));
        Map<String, Object> nullTasks = new HashMap<>();
        nullTasks.put("num_tasks", null);
        assertEquals("resource specification 'num_tasks' must be an integer, not null", refused(nullTasks));
    }

    @Test
    void refusesOutOfRangeValuesAsFluxDoes() {
        assertTrue(refused(Map.of("num_tasks", 0)).startsWith("task count must be an integer >= 1"));
        assertTrue(refused(Map.of("cores_per_task", -1)).startsWith("cores per task must be an integer >= 1"));
        assertTrue(refused(Map.of("gpus_per_task", -1)).startsWith("gpus per task must be an integer >= 0"));
        assertTrue(refused(Map.of("num_nodes", 0)).startsWith("node count must be an integer >= 1 (if set)"));
        assertTrue(refused(Map.of("num_nodes", 2)).startsWith("node count must not be greater than task count"));
    }

    @Test
    void fillsTheJobSpecsResourceFields() {
        JobSpec spec = new ResourceSpec(4, 2, 0, 2).applyTo(JobSpec.builder()).build();
        assertEquals(4, spec.tasks());
        assertEquals(2, spec.cpusPerTask());
        assertNull(spec.gpusPerTask());
        assertEquals(2, spec.nodes());
        assertEquals(3, new ResourceSpec(1, 1, 3, null).applyTo(JobSpec.builder()).build().gpusPerTask());
    }
}
