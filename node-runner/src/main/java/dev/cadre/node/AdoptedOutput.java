package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import jakarta.jms.Destination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the output of the remote commands an earlier runner started and this one adopted ({@link LeftoverCommands}):
 * each reads on from the named pipes its wrapper gave it ({@link CommandWrapper#outputPipe}), where what it wrote
 * while no runner ran waits (the pipe's 64 KiB, the command waiting beyond that), and sends it as exec-output to
 * the reply queue its agent's latest keepalive named, as {@link UnknownRequests} answers the exit there. Until a
 * keepalive names one (those queued while no runner ran come at once), a pump waits with what it read, and the
 * command waits too once its pipe is full; its agent released, or silent for {@link UnknownRequests#SILENT_FOR}
 * from the adoption on, what it writes is read and dropped, so that it runs on until its attempt ends.
 */
final class AdoptedOutput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdoptedOutput.class);
    private static final Duration DESTINATION_WAIT = UnknownRequests.SILENT_FOR;

    private final ExecReplies replies;
    private final Map<String, Relay> relays = new ConcurrentHashMap<>();
    private volatile boolean closed;

    AdoptedOutput(ExecReplies replies) {
        this.replies = replies;
    }

    /** One adopted command's: where its agent is, and its two pumps. */
    private final class Relay {
        private final String requestId;
        private Destination to;
        private boolean released;
        private long heardNanos = System.nanoTime();
        private boolean dropped;
        private volatile List<OutputPump> pumps = List.of();

        Relay(String requestId) {
            this.requestId = requestId;
        }

        OutputPump.Sink sink(String stream) {
            return chunk -> {
                Destination d = destination();
                if (d != null) {
                    replies.send(d, requestId, new ExecMessage.ExecOutput(requestId, stream,
                            Base64.getEncoder().encodeToString(chunk)));
                }
            };
        }

        synchronized void follow(Destination replyTo) {
            to = replyTo;
            heardNanos = System.nanoTime();
            notifyAll();
        }

        synchronized void release() {
            released = true;
            notifyAll();
        }

        /** Where its output goes; null when it is to be dropped. */
        private synchronized Destination destination() throws InterruptedException {
            while (to == null && !released && !closed) {
                long left = DESTINATION_WAIT.toNanos() - (System.nanoTime() - heardNanos);
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            if (closed) {
                return null; // read, not sent: lost with this runner (at most one read of each stream)
            }
            if (released || to == null) {
                if (!dropped) {
                    dropped = true;
                    LOG.warn("exec {}: {}; what the adopted command writes is dropped", requestId, released
                            ? "released by its requester" : "no keepalive from its agent since the restart");
                }
                return null;
            }
            return to;
        }
    }

    /**
     * Reads on the output of the adopted command that runs for the request, from its named pipes, if there are any
     * (commands started by runners before them have none).
     *
     * @param record the path of its record without suffix ({@link ExecRecords#nameOf} in the exec records)
     * @param wrapperRuns whether the command's wrapper still runs: it makes and opens its pipes only once told to
     *     run, perhaps just before the earlier runner stopped, and they are waited for until it has ended
     */
    void relay(String requestId, Path record, BooleanSupplier wrapperRuns) {
        if (closed) {
            return;
        }
        Relay relay = new Relay(requestId);
        relays.put(requestId, relay);
        Path status = record.resolveSibling(record.getFileName() + CommandWrapper.EXIT);
        OutputPump out = OutputPump.adopted(CommandWrapper.outputPipe(status, CommandWrapper.STDOUT), wrapperRuns,
                relay.sink("stdout"), "cadre-adopted-stdout");
        OutputPump err = OutputPump.adopted(CommandWrapper.outputPipe(status, CommandWrapper.STDERR), wrapperRuns,
                relay.sink("stderr"), "cadre-adopted-stderr");
        relay.pumps = List.of(out, err);
        CompletableFuture.allOf(out.drained(), err.drained()).thenRun(() -> relays.remove(requestId, relay));
    }

    /** A keepalive (or a copy of the request) named the agent's reply queue: its output goes there from now on. */
    void follow(String requestId, Destination replyTo) {
        Relay relay = relays.get(requestId);
        if (relay != null && replyTo != null) {
            relay.follow(replyTo);
        }
    }

    /** The agent went away (its relay released it): nobody is to get the output any more. */
    void release(String requestId) {
        Relay relay = relays.get(requestId);
        if (relay != null) {
            relay.release();
        }
    }

    /** Whether the command's output is still being relayed: its exit is told only after it. */
    boolean relaying(String requestId) {
        return relays.containsKey(requestId);
    }

    /** The runner stops: the next one reads on from the pipes. */
    @Override
    public void close() {
        closed = true;
        for (Relay relay : relays.values()) {
            relay.pumps.forEach(OutputPump::stop);
            synchronized (relay) {
                relay.notifyAll();
            }
        }
    }
}
