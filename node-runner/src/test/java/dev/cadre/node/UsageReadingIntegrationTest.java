package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.UsageMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * read-usage (sstat) over a real broker to two real node-runners, of a real job burning CPU: its script's processes
 * on the node that runs it, and a remote command it runs through the real agent on the other. Each test runs with the
 * nodes tracking processes by cgroup where they can (AUTO), and by session.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
class UsageReadingIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "r".repeat(64);
    private final List<AutoCloseable> closing = new ArrayList<>();
    @Parameter
    ProcessTracking.Mode tracking;
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private NodeRunner first;
    private NodeRunner second;
    private RunnerEventLog head;

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        head = new RunnerEventLog(broker.head());
        first = AgentNodes.start(broker, dir, "host1", tracking, closing);
        second = AgentNodes.start(broker, dir, "host2", tracking, closing);
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("go"), ""); // the busy loops end
        for (NodeRunner n : List.of(first, second)) {
            AgentNodes.send(broker, n, new NodeCommand.KillJob(1, 1, JobState.CANCELLED));
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        broker.close();
    }

    /**
     * A shell spinning until the test lets it go, or for a minute at most, on builtins alone (no process forked): CPU
     * time in every instant. Writes its pid to {@code pidFile} first.
     */
    private String busy(String pidFile) {
        return "bash -c 'echo $$ > " + work.resolve(pidFile) + "; end=$((SECONDS + 60));"
                + " while [ ! -f " + work.resolve("go") + " ] && [ $SECONDS -lt $end ]; do :; done'";
    }

    /** Places job 1 on both nodes, as the scheduler does; its script runs on the first. */
    private void place(String script) throws Exception {
        JobSpec spec = JobSpec.builder().name("busy").user("alice").workDir(work.toString())
                .script("#!/bin/bash\n" + script + "\n").build();
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(1, 1, spec, new Allocation(List.of(
                new Allocation.NodeSlots(first.nodeId(), "host1", 1, 1, 0, 0),
                new Allocation.NodeSlots(second.nodeId(), "host2", 1, 1, 0, 0))), TOKEN);
        AgentNodes.send(broker, second, place);
        AgentNodes.send(broker, first, place);
    }

    /** Sends the body to the node's output queue, as the head does; with a reply-to unless {@code replyTo} is false. */
    private MessageConsumer send(NodeRunner to, String body, boolean replyTo, String correlation) throws Exception {
        Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE);
        closing.add(s::close);
        TemporaryQueue replies = s.createTemporaryQueue();
        MessageConsumer consumer = s.createConsumer(replies);
        TextMessage m = s.createTextMessage(body);
        if (replyTo) {
            m.setJMSReplyTo(replies);
        }
        m.setJMSCorrelationID(correlation);
        s.createProducer(s.createQueue(Destinations.outputQueue(to.nodeId()))).send(m);
        return consumer;
    }

    private UsageMessage.UsageReading read(NodeRunner node, long jobId, int attempt) throws Exception {
        MessageConsumer replies = send(node, MessageCodec.encode(new UsageMessage.ReadUsage(jobId, attempt)), true,
                "u-" + jobId + "-" + attempt);
        TextMessage reply = (TextMessage) replies.receive(WAIT.toMillis());
        assertNotNull(reply, "no usage-reading from " + node.nodeId());
        assertEquals("u-" + jobId + "-" + attempt, reply.getJMSCorrelationID());
        assertEquals("usage-reading", reply.getStringProperty("type"));
        return MessageCodec.decode(reply.getText(), UsageMessage.UsageReading.class);
    }

    /** Reads the attempt on the node again and again until a reading is {@code done}, within {@link #WAIT}. */
    private UsageMessage.UsageReading readUntil(NodeRunner node, String what, Predicate<UsageMessage.UsageReading> done)
            throws InterruptedException {
        AtomicReference<UsageMessage.UsageReading> last = new AtomicReference<>();
        await(() -> what + "; last reading: " + last.get(), WAIT, () -> {
            try {
                last.set(read(node, 1, 1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return done.test(last.get());
        });
        return last.get();
    }

    /** The wrapper's pid, from the claim it takes first thing on the first node. */
    private long wrapperPid() throws Exception {
        Path claim = dir.resolve("host1/jobs/1-1/claim");
        await("the wrapper's claim", WAIT, () -> Files.exists(claim));
        return Long.parseLong(Files.readString(claim).strip());
    }

    private static long cpu(UsageMessage.UsageReading r) {
        assertNotNull(r.usage(), "no usage in " + r);
        assertNotNull(r.usage().totalCpuMicros(), "no CPU time in " + r);
        return r.usage().totalCpuMicros();
    }

    @Test
    void aRunningJobsReadingListsItsProcessesAndItsCpuTimeGrows() throws Exception {
        place(busy("script-pid") + "\necho done");
        long script = NodeUnderTest.awaitPid(work.resolve("script-pid"));
        long wrapper = wrapperPid();
        UsageMessage.UsageReading before = read(first, 1, 1);
        assertNull(before.error(), before.error());
        assertTrue(before.running(), String.valueOf(before));
        assertFalse(before.absent());
        assertTrue(before.pids().contains(script), "the busy shell in " + before.pids());
        assertFalse(before.pids().contains(wrapper), "Cadre's wrapper is not the job's: " + before.pids());
        assertNotNull(before.rssBytes());
        assertTrue(before.rssBytes() > 0, String.valueOf(before));
        assertNotNull(before.time());
        if (tracking == ProcessTracking.Mode.SESSION) {
            assertNull(before.usage().maxRssBytes(), "no peak is made up without a cgroup: " + before);
        }
        long first0 = cpu(before);
        UsageMessage.UsageReading later = readUntil(first, "the job's CPU time to grow past " + first0 + " µs",
                r -> cpu(r) > first0 + 50_000);
        assertTrue(later.time().isAfter(before.time()), later.time() + " after " + before.time());

        // The second node holds the attempt for its commands (once its place-job is taken) but runs none of it.
        UsageMessage.UsageReading idle = readUntil(second, "the second node to hold the attempt", r -> !r.absent());
        assertFalse(idle.running(), String.valueOf(idle));
        assertEquals(List.of(), idle.pids());
        assertNull(idle.error());
    }

    /**
     * The job writes 2 MiB and reads them back, bypassing the page cache (O_DIRECT), before it spins: the bytes count
     * in the script's shell, which reaped both dd's. In the module's target directory, on the build's disk: a tmpfs
     * (where /tmp often is) counts no storage bytes at all, and may refuse O_DIRECT. On such a file system only the
     * presence of the figures is checked.
     */
    @Test
    void aJobsStorageBytesAndVirtualMemoryAreRead() throws Exception {
        Path files = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "usage-io-");
        closing.add(() -> {
            Files.deleteIfExists(files.resolve("written"));
            Files.deleteIfExists(files);
        });
        boolean disk = !List.of("tmpfs", "ramfs").contains(Files.getFileStore(files).type());
        long size = 2 << 20;
        String direct = disk ? " oflag=direct" : " conv=fsync";
        place("dd if=/dev/zero of=" + files.resolve("written") + " bs=64k count=32 status=none" + direct + "\n"
                + "dd if=" + files.resolve("written") + " of=/dev/null bs=64k status=none"
                + (disk ? " iflag=direct" : "") + "\n" + busy("script-pid"));
        NodeUnderTest.awaitPid(work.resolve("script-pid"));
        UsageMessage.UsageReading r = readUntil(first, "the job's 2 MiB written and read to count",
                reading -> reading.diskWriteBytes() != null && reading.diskReadBytes() != null
                        && (!disk || reading.diskWriteBytes() >= size && reading.diskReadBytes() >= size));
        assertNull(r.error(), r.error());
        assertEquals(size, Files.size(files.resolve("written")));
        assertNotNull(r.vmSizeBytes(), String.valueOf(r));
        // Every page a process holds is one of its address space.
        assertTrue(r.vmSizeBytes() >= r.rssBytes() && r.rssBytes() > 0, String.valueOf(r));

        // Nothing runs on the second node: no memory, no process whose bytes could be read.
        UsageMessage.UsageReading idle = readUntil(second, "the second node to hold the attempt", x -> !x.absent());
        assertEquals(0L, idle.vmSizeBytes(), String.valueOf(idle));
        assertNull(idle.diskReadBytes(), String.valueOf(idle));
        assertNull(idle.diskWriteBytes(), String.valueOf(idle));
    }

    @Test
    void aRemoteCommandIsReadOnItsNode() throws Exception {
        place(AgentNodes.AGENT + " host2 '" + busy("command-pid").replace("'", "'\\''") + "'\necho done");
        long command = NodeUnderTest.awaitPid(work.resolve("command-pid"));
        UsageMessage.UsageReading r = readUntil(second, "the command's CPU time on the second node",
                reading -> reading.usage() != null && cpu(reading) > 50_000);
        assertTrue(r.running(), String.valueOf(r));
        assertFalse(r.absent());
        assertTrue(r.pids().contains(command), "the command's shell in " + r.pids());
        assertTrue(r.rssBytes() > 0, String.valueOf(r));
        // On the first node, the script and its agent run, and burn little.
        UsageMessage.UsageReading coordinator = read(first, 1, 1);
        assertTrue(coordinator.running(), String.valueOf(coordinator));
        assertFalse(coordinator.pids().contains(command), "the command runs on the other node: " + coordinator);
    }

    @Test
    void anUnknownAttemptIsAbsentAndBadRequestsStopNothing() throws Exception {
        // Unreadable, of no family the queue takes, and without a reply-to: dropped, and the next is answered.
        send(first, "{not json", true, "bad-1");
        send(first, MessageCodec.encode(new RunnerEvent.RunnerRunning(5, 1, "n", java.time.Instant.now())), true,
                "bad-2");
        send(first, MessageCodec.encode(new UsageMessage.ReadUsage(5, 1)), false, "bad-3");
        UsageMessage.UsageReading unknown = read(first, 5, 1);
        assertTrue(unknown.absent(), String.valueOf(unknown));
        assertFalse(unknown.running());
        assertNull(unknown.usage());
        assertEquals(List.of(), unknown.pids());
        assertTrue(unknown.error().contains("attempt 1 of job 5 is not running on node " + first.nodeId()),
                unknown.error());

        UsageMessage.UsageReading zero = read(first, 5, 0);
        assertFalse(zero.absent());
        assertEquals("attempt must be at least 1, not 0", zero.error());
        assertTrue(read(second, 5, 2).absent(), "the other node knows nothing of it either");
    }
}
