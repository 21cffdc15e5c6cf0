package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.JobUsage;
import dev.cadre.client.UsageRefusedException;
import dev.cadre.protocol.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client library's usage read against a real head in this JVM (broker, scheduler, REST API, a node-runner) and a
 * real job: each node's reading and the job's sum, and the head's refusals as failed futures naming the job.
 */
class CadreClientUsageTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final CadreClient client = head.client();

    private JobUsage usage(long id) throws Exception {
        return client.usage(id).get(InJvmHead.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRunningJobsReadingHasItsNodeAndTheJobsSum() throws Exception {
        Path pid = head.base.resolve("usage-pid");
        long id = client.submit(head.job("echo $$ > " + pid + "; exec sleep 60").build()).accepted()
                .get(30, TimeUnit.SECONDS);
        try {
            CadreProcess.await("the job's script to run", InJvmHead.WAIT, () -> Files.exists(pid));
            AtomicReference<JobUsage> last = new AtomicReference<>();
            CadreProcess.await("a reading listing the job's process", InJvmHead.WAIT, () -> {
                try {
                    last.set(usage(id));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return !last.get().nodes().get(0).pids().isEmpty();
            });
            JobUsage u = last.get();
            assertEquals(id, u.jobId());
            assertEquals(1, u.attempt());
            assertEquals(1, u.nodes().size(), String.valueOf(u));
            JobUsage.NodeReading node = u.nodes().get(0);
            assertTrue(node.coordinator() && node.running(), String.valueOf(node));
            assertNull(node.error(), node.error());
            assertTrue(node.pids().contains(Long.parseLong(Files.readString(pid).strip())), String.valueOf(node));
            assertNotNull(node.usage(), String.valueOf(node));
            assertTrue(node.rssBytes() > 0 && node.vmSizeBytes() >= node.rssBytes(), String.valueOf(node));
            assertNotNull(node.diskReadBytes(), "the job's processes are the client's user's: readable");
            assertNotNull(node.diskWriteBytes());
            assertNotNull(node.time());

            JobUsage.Total total = u.total();
            assertEquals(node.usage(), total.usage(), "one node: the sum is its reading");
            assertEquals(node.vmSizeBytes(), total.vmSizeBytes());
            assertEquals(node.diskWriteBytes(), total.diskWriteBytes());
            assertEquals(node.pids().size(), total.processes());
        } finally {
            client.cancel(id).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnknownOrFinishedJobFailsTheFutureNamingTheJob() throws Exception {
        var unknown = assertInstanceOf(UsageRefusedException.class, assertThrows(ExecutionException.class,
                () -> usage(999_999)).getCause());
        assertEquals(404, unknown.status());
        assertEquals("cannot read the usage of job 999999: job 999999 does not exist", unknown.getMessage());

        long done = client.submit(head.job("true").build()).result().get(InJvmHead.WAIT.toSeconds(),
                TimeUnit.SECONDS).jobId();
        var finished = assertInstanceOf(UsageRefusedException.class, assertThrows(ExecutionException.class,
                () -> usage(done)).getCause());
        assertEquals(409, finished.status());
        assertEquals(JobState.COMPLETED, finished.state());
        assertTrue(finished.getMessage().startsWith("cannot read the usage of job " + done + ": job " + done
                + " is COMPLETED: only a running job's usage can be read"), finished.getMessage());
    }

    @Test
    void aClosedClientReadsNothing() throws Exception {
        CadreClient other = CadreClient.connect(head.clientFile());
        other.close();
        assertEquals("the Cadre client is closed", assertThrows(CadreException.class, () -> other.usage(1))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.usage(0));
    }
}
