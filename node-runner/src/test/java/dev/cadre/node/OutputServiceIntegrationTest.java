package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.OutputMessage;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** read-output over a real broker against real files: only an attempt's own regular files are ever read. */
class OutputServiceIntegrationTest {
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private Connection head;
    private OutputService service;
    private OutputRecords records;
    private final List<RunnerEvent.RunningAttempt> running = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        head = broker.head();
        records = new OutputRecords(dir.resolve("state"));
        service = new OutputService(broker.node(), "n1", records, () -> List.copyOf(running),
                new UsageReadings("n1", (job, attempt) -> null, null, (job, attempt) -> false,
                        Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
        records.close();
        broker.close();
    }

    private void placed(long id, String stdout, String stderr) throws Exception {
        JobSpec spec = JobSpec.builder().name("t").user("alice").script("#!/bin/sh\ntrue\n")
                .workDir(work.toString()).stdout(stdout).stderr(stderr).build();
        records.rememberAll(List.of(new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok")));
    }

    private OutputMessage.OutputChunk ask(OutputMessage.ReadOutput request) throws Exception {
        try (Asked asked = send(request)) {
            return asked.answer();
        }
    }

    /** A read-output sent, its answer to be received. */
    private final class Asked implements AutoCloseable {
        private final Session session;
        private final MessageConsumer consumer;

        Asked(Session session, MessageConsumer consumer) {
            this.session = session;
            this.consumer = consumer;
        }

        OutputMessage.OutputChunk answer() throws Exception {
            TextMessage reply = (TextMessage) consumer.receive(20_000);
            assertNotNull(reply, "no answer");
            assertEquals("c1", reply.getJMSCorrelationID());
            return MessageCodec.decode(reply.getText(), OutputMessage.OutputChunk.class);
        }

        @Override
        public void close() throws Exception {
            session.close();
        }
    }

    private Asked send(OutputMessage.ReadOutput request) throws Exception {
        Session s = head.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = s.createTemporaryQueue();
        MessageConsumer consumer = s.createConsumer(replies);
        TextMessage m = s.createTextMessage(MessageCodec.encode(request));
        m.setJMSReplyTo(replies);
        m.setJMSCorrelationID("c1");
        s.createProducer(s.createQueue(Destinations.outputQueue("n1"))).send(m);
        return new Asked(s, consumer);
    }

    private static String text(OutputMessage.OutputChunk c) {
        return new String(Base64.getDecoder().decode(c.data()), StandardCharsets.UTF_8);
    }

    @Test
    void readsFromAnOffsetOrBackFromTheEnd() throws Exception {
        placed(7, "out-%j.txt", "err-%j.txt");
        Files.writeString(work.resolve("out-7.txt"), "one\ntwo\nthree\n");
        Files.writeString(work.resolve("err-7.txt"), "oops\n");

        OutputMessage.OutputChunk all = ask(new OutputMessage.ReadOutput(7, 1, "stdout", 0, 65536, 0));
        assertNull(all.error());
        assertEquals("one\ntwo\nthree\n", text(all));
        assertEquals(14, all.size());
        assertEquals(work.resolve("out-7.txt").toString(), all.path());
        assertFalse(all.running());

        OutputMessage.OutputChunk tail = ask(new OutputMessage.ReadOutput(7, 1, "stdout", -6, 65536, 0));
        assertEquals(8, tail.offset());
        assertEquals("three\n", text(tail));
        OutputMessage.OutputChunk capped = ask(new OutputMessage.ReadOutput(7, 1, "stderr", 0, 3, 0));
        assertEquals("oop", text(capped), "at most maxBytes");
        assertEquals(5, capped.size());
    }

    @Test
    void aWaitingReadIsAnsweredWhenOutputAppears() throws Exception {
        placed(8, "out-%j.txt", null);
        running.add(new RunnerEvent.RunningAttempt(8, 1));
        Path out = work.resolve("out-8.txt");
        Files.writeString(out, "first\n");
        OutputMessage.OutputChunk next;
        try (Asked asked = send(new OutputMessage.ReadOutput(8, 1, "stdout", 6, 65536, 10_000))) {
            JobSupervisorIntegrationTest.await("the read to wait for output", java.time.Duration.ofSeconds(10),
                    () -> service.waiting() == 1);
            Files.writeString(out, "second\n", java.nio.file.StandardOpenOption.APPEND);
            next = asked.answer();
        }
        assertEquals("second\n", text(next));
        assertTrue(next.running());

        running.clear();
        OutputMessage.OutputChunk ended = ask(new OutputMessage.ReadOutput(8, 1, "stdout", 13, 65536, 10_000));
        assertEquals("", text(ended), "an ended attempt's read is answered at once, empty");
        assertFalse(ended.running());
    }

    @Test
    void aWaitingReadForAnAttemptNotYetHereIsAnsweredOnceItStarts() throws Exception {
        try (Asked asked = send(new OutputMessage.ReadOutput(12, 1, "stdout", -100, 100, 10_000))) {
            JobSupervisorIntegrationTest.await("the read to wait for the attempt", java.time.Duration.ofSeconds(10),
                    () -> service.waiting() == 1);
            placed(12, "out-%j.txt", null);
            running.add(new RunnerEvent.RunningAttempt(12, 1));
            Files.writeString(work.resolve("out-12.txt"), "started\n");
            OutputMessage.OutputChunk chunk = asked.answer();
            assertNull(chunk.error());
            assertEquals("started\n", text(chunk));
        }
        OutputMessage.OutputChunk gone = ask(new OutputMessage.ReadOutput(13, 1, "stdout", 0, 100, 200));
        assertTrue(gone.error().contains("no record of job 13"), "answered with the error once the wait is over");
        assertTrue(gone.absent());
    }

    @Test
    void refusesWhatIsNotTheAttemptsOwnRegularFile() throws Exception {
        placed(9, "link-%j.txt", null);
        Files.writeString(work.resolve("secret"), "not yours\n");
        Files.createSymbolicLink(work.resolve("link-9.txt"), work.resolve("secret"));
        OutputMessage.OutputChunk link = ask(new OutputMessage.ReadOutput(9, 1, "stdout", 0, 100, 0));
        assertTrue(link.error().contains("not a regular file"), link.error());
        assertFalse(link.absent(), "refused for good");
        assertEquals("", link.data());

        placed(10, "fifo-%j", null);
        new ProcessBuilder("mkfifo", work.resolve("fifo-10").toString()).start().waitFor();
        assertTrue(ask(new OutputMessage.ReadOutput(10, 1, "stdout", 0, 100, 0)).error()
                .contains("not a regular file"));

        assertTrue(ask(new OutputMessage.ReadOutput(9, 1, "stderr", 0, 100, 0)).error()
                .contains("goes to its stdout file"));
        OutputMessage.OutputChunk unknown = ask(new OutputMessage.ReadOutput(404, 1, "stdout", 0, 100, 0));
        assertTrue(unknown.error().contains("no record of job 404"), unknown.error());
        assertNull(unknown.path());
        assertTrue(ask(new OutputMessage.ReadOutput(9, 1, "/etc/shadow", 0, 100, 0)).error()
                .startsWith("stream must be"));
        assertTrue(ask(new OutputMessage.ReadOutput(9, 1, "stdout", 0, 10_000_000, 0)).error()
                .startsWith("maxBytes"));
        assertTrue(ask(new OutputMessage.ReadOutput(11, 1, "stdout", 0, 100, 0)).error().contains("no record"));
    }
}
