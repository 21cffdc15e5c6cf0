package dev.cadre.node;

import dev.cadre.node.core.OutputPaths;
import dev.cadre.node.core.OutputRange;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.OutputMessage;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.UsageMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what comes on the node's output queue (protocol.md 3.9). read-output, with the bytes asked for, from the
 * files this node opened for the attempt and nothing else: a read that may wait and finds nothing yet (no new bytes
 * of a running attempt, or an attempt or file not there yet) is parked and looked at again every {@link
 * #RECHECK_MILLIS} ms, here on the node, so a follower hears of new output within that time without asking again
 * and again over the network. read-usage, at once with what the attempt has used here so far ({@link
 * UsageReadings}): it never waits, behind parked reads or otherwise.
 */
final class OutputService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputService.class);
    static final long RECHECK_MILLIS = 100;
    /** Waiting reads beyond this are answered at once, so many followers cannot pile up work here. */
    static final int MAX_WAITING = 1000;

    private record Waiting(Destination replyTo, String correlation, OutputMessage.ReadOutput request,
            long deadlineNanos) {
    }

    private final String nodeId;
    private final OutputRecords records;
    private final Supplier<List<RunnerEvent.RunningAttempt>> running;
    private final UsageReadings usage;
    private final Session receiveSession;
    private final Session replySession;
    private final MessageProducer replies;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-output-reads");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param running the attempts this node runs now
     * @param usage what read-usage is answered from
     */
    OutputService(Connection connection, String nodeId, OutputRecords records,
            Supplier<List<RunnerEvent.RunningAttempt>> running, UsageReadings usage, Clock clock)
            throws JMSException {
        this.nodeId = nodeId;
        this.records = records;
        this.running = running;
        this.usage = usage;
        this.replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.replies = replySession.createProducer(null);
        replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        this.receiveSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        receiveSession.createConsumer(receiveSession.createQueue(Destinations.outputQueue(nodeId)))
                .setMessageListener(this::onMessage);
        timers.scheduleWithFixedDelay(this::recheck, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(() -> records.pruneExpired(clock.instant()), 0, 1, TimeUnit.HOURS);
    }

    private void onMessage(Message m) {
        dev.cadre.protocol.Message request;
        Destination replyTo;
        String correlation;
        try {
            replyTo = m.getJMSReplyTo();
            correlation = m.getJMSCorrelationID() != null ? m.getJMSCorrelationID() : m.getJMSMessageID();
            if (!(m instanceof TextMessage t)) {
                LOG.warn("dropping a message on {} that is not text", Destinations.outputQueue(nodeId));
                return;
            }
            request = MessageCodec.decode(t.getText(), dev.cadre.protocol.Message.class);
        } catch (ProtocolException | JMSException e) {
            LOG.warn("dropping an unreadable message on {}: {}", Destinations.outputQueue(nodeId), e.getMessage());
            return;
        }
        if (!(request instanceof OutputMessage.ReadOutput) && !(request instanceof UsageMessage.ReadUsage)) {
            LOG.warn("dropping {} on {}: only read-output and read-usage are", MessageCodec.typeName(request),
                    Destinations.outputQueue(nodeId));
        } else if (replyTo == null) {
            LOG.warn("{} has no reply-to; not answered: {}", MessageCodec.typeName(request), request);
        } else if (request instanceof UsageMessage.ReadUsage u) {
            send(replyTo, correlation, usage.read(u));
        } else {
            read(replyTo, correlation, (OutputMessage.ReadOutput) request);
        }
    }

    private void read(Destination replyTo, String correlation, OutputMessage.ReadOutput request) {
        boolean mayWait = request.waitMillis() > 0 && waiting.size() < MAX_WAITING;
        OutputMessage.OutputChunk chunk = answer(request, mayWait, Set.copyOf(running.get()));
        if (chunk == null) {
            waiting.add(new Waiting(replyTo, correlation, request,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.waitMillis())));
        } else {
            send(replyTo, correlation, chunk);
        }
    }

    /** How many reads wait for output. */
    int waiting() {
        return waiting.size();
    }

    private void recheck() {
        long now = System.nanoTime();
        // Read once per round, not once per waiting read.
        Set<RunnerEvent.RunningAttempt> runningNow = Set.copyOf(running.get());
        for (Waiting w : waiting) {
            OutputMessage.OutputChunk chunk = answer(w.request(), now - w.deadlineNanos() < 0, runningNow);
            if (chunk != null) {
                waiting.remove(w);
                send(w.replyTo(), w.correlation(), chunk);
            }
        }
    }

    /**
     * The answer, or null when there is nothing to read yet and the request may wait for it.
     *
     * @param runningNow the attempts this node runs now
     */
    private OutputMessage.OutputChunk answer(OutputMessage.ReadOutput r, boolean mayWait,
            Set<RunnerEvent.RunningAttempt> runningNow) {
        boolean runs = runningNow.contains(new RunnerEvent.RunningAttempt(r.jobId(), r.attempt()));
        String problem = OutputRange.problem(r);
        if (problem != null) {
            return failed(r, runs, null, problem);
        }
        Optional<OutputPaths> paths;
        try {
            paths = records.find(r.jobId(), r.attempt());
        } catch (IOException e) {
            return failed(r, runs, null, e.getMessage());
        }
        if (paths.isEmpty()) {
            // The attempt may be on its way here: its place-job can arrive after the head decided on it.
            if (mayWait) {
                return null;
            }
            return absent(r, runs, null, "node " + nodeId + " has no record of job " + r.jobId() + " attempt "
                    + r.attempt() + ": it did not coordinate it, or the attempt ended more than "
                    + OutputRecords.RETENTION.toDays() + " days ago");
        }
        Path file = paths.get().of(r.stream());
        if (file == null) {
            return failed(r, runs, null, "job " + r.jobId()
                    + " has no stderr file: its stderr goes to its stdout file");
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                return failed(r, runs, file, file + " is not a regular file; only a regular file is read");
            }
            OutputRange range = OutputRange.of(r.offset(), r.maxBytes(), attrs.size());
            if (range.length() == 0 && runs && mayWait) {
                return null;
            }
            return new OutputMessage.OutputChunk(r.jobId(), r.attempt(), r.stream(), file.toString(), range.start(),
                    attrs.size(), Base64.getEncoder().encodeToString(read(file, range)), runs, false, null);
        } catch (NoSuchFileException e) {
            // Created when the attempt's processes start, which may be after the record was written.
            return mayWait ? null : absent(r, runs, file, file + " does not exist on node " + nodeId);
        } catch (IOException e) {
            return failed(r, runs, file, "cannot read " + file + ": " + e);
        }
    }

    private static byte[] read(Path file, OutputRange range) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(range.length());
        // Without following a link: the file named by the record, not whatever a job put in its place.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long position = range.start();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
        }
        buffer.flip();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** A read refused for good. */
    private static OutputMessage.OutputChunk failed(OutputMessage.ReadOutput r, boolean runs, Path file,
            String error) {
        return refused(r, runs, file, false, error);
    }

    /** No record or file of the attempt here yet. */
    private static OutputMessage.OutputChunk absent(OutputMessage.ReadOutput r, boolean runs, Path file,
            String error) {
        return refused(r, runs, file, true, error);
    }

    private static OutputMessage.OutputChunk refused(OutputMessage.ReadOutput r, boolean runs, Path file,
            boolean absent, String error) {
        return new OutputMessage.OutputChunk(r.jobId(), r.attempt(), r.stream(), file == null ? null
                : file.toString(), 0, 0, "", runs, absent, error);
    }

    private void send(Destination to, String correlation, dev.cadre.protocol.Message answer) {
        try {
            synchronized (replySession) {
                TextMessage t = replySession.createTextMessage(MessageCodec.encode(answer));
                t.setStringProperty("type", MessageCodec.typeName(answer));
                t.setJMSCorrelationID(correlation);
                replies.send(to, t);
            }
        } catch (JMSException e) {
            // The reader gave up and its reply queue went with it.
            LOG.debug("{} not delivered: {}", MessageCodec.typeName(answer), e.getMessage());
        }
    }

    @Override
    public void close() throws JMSException {
        timers.shutdownNow();
        receiveSession.close();
        replySession.close();
    }
}
