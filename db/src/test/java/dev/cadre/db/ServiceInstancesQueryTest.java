package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/services counts every service's instances with one statement, whatever else is unfinished. */
class ServiceInstancesQueryTest {
    @TempDir
    Path dir;

    private static JobStore.NewJob instance(String key, String service) {
        JobStore.NewJob plain = JobStoreTest.job(key, "alice");
        return new JobStore.NewJob(key, plain.spec().toBuilder().service(service).build(), plain.submitTime(),
                "None");
    }

    @Test
    void everyServiceIsCountedInOneStatementBesideSplitOffArrayTasks() {
        CountingDataSource source = new CountingDataSource(Database.dataSource(dir.resolve("cadre.db")));
        JobStore store = new JobStore(Database.open(source));
        store.admit(List.of(instance("a0", "a"), instance("a1", "a"), instance("b0", "b"),
                JobStoreTest.job("plain", "alice")));
        // A running task split off an array stores an empty spec, which json_extract cannot read.
        Database.open(source).useHandle(h -> h.execute("INSERT INTO jobs (id, submission_key, name, user, spec,"
                + " state, submit_time, array_job_id, array_task_id) VALUES (999, 'task', 't', 'alice', '', 'RUNNING',"
                + " 0, 4, 0)"));
        source.reset();
        Map<String, Map<JobState, Integer>> counts = store.history().serviceInstances();
        assertEquals(Map.of("a", Map.of(JobState.PENDING, 2), "b", Map.of(JobState.PENDING, 1)), counts);
        assertEquals(1, source.prepared, "one statement for all services");
    }
}
