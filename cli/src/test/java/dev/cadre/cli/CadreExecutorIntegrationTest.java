package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreExecutor;
import dev.cadre.client.EventFilter;
import dev.cadre.client.JobResult;
import dev.cadre.client.ResourceSpec;
import dev.cadre.client.Watch;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The executor facade running real commands through a head in this JVM. */
class CadreExecutorIntegrationTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final CadreClient client = head.client();

    private static JobResult get(CompletableFuture<JobResult> f) throws Exception {
        return f.get(InJvmHead.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void runsCommandsWithTheirResourcesAndReturnsTheirResults() throws Exception {
        Path work = Files.createDirectories(head.base.resolve("exec-work"));
        try (CadreExecutor executor = new CadreExecutor(client, CadreExecutor.Settings.defaults().withWorkDir(work))) {
            var echo = executor.submit(List.of("sh", "-c", "echo \"$1 $SLURM_NTASKS $SLURM_CPUS_PER_TASK\"", "sh",
                    "it's here"), new ResourceSpec(2, 2, 0, 1));
            var parsl = executor.submit(List.of("sh", "-c", "exit 5"), Map.of("num_tasks", 1, "cores_per_task", 1));
            JobResult ok = get(echo);
            assertTrue(ok.succeeded(), ok.toString());
            assertEquals("it's here 2 2\n", Files.readString(work.resolve("slurm-" + ok.jobId() + ".out")));
            JobResult failed = get(parsl);
            assertEquals(JobState.FAILED, failed.state());
            assertEquals(5, failed.exitCode());
            assertThrows(IllegalArgumentException.class, () -> executor.submit(List.of("true"), Map.of("cores", 1)));

            executor.shutdown();
            assertTrue(executor.isShutdown());
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(executor.isTerminated());
            assertThrows(RejectedExecutionException.class, () -> executor.submit(List.of("true")));
        }
    }

    @Test
    void shutdownNowCancelsTheJobsNotYetEnded() throws Exception {
        Set<Long> cancelled = ConcurrentHashMap.newKeySet();
        try (Watch w = client.watch(EventFilter.user(client.user()), e -> {
            if (e.name().equals("sleep") && e.state() == JobState.CANCELLED) {
                cancelled.add(e.jobId());
            }
        })) {
            CadreExecutor executor = new CadreExecutor(client, CadreExecutor.Settings.defaults().withWorkDir(head.base));
            var sleeper = executor.submit(List.of("sleep", "60"));
            var another = executor.submit(List.of("/bin/sleep", "60"), new ResourceSpec(1, 1, 0, null));
            assertFalse(executor.awaitTermination(100, TimeUnit.MILLISECONDS), "not shut down yet");

            assertEquals(2, executor.shutdownNow().size());
            assertTrue(sleeper.isCancelled() && another.isCancelled());
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
            // Whether or not a job's id was known when shutdownNow came, the cancel reaches it.
            CadreProcess.await("both sleeping jobs to be cancelled", InJvmHead.WAIT, () -> cancelled.size() == 2);
            executor.close();
        }
    }
}
