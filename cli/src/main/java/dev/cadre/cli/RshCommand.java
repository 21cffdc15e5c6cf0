package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.RshCommandLine;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code cadre rsh}: the remote-exec agent MPI launchers run instead of ssh. Same contract as ssh: the words
 * after HOST joined by spaces and run by bash on HOST, output streamed while it runs, its exit status returned,
 * 255 when HOST is unknown or unreachable. The command travels over the broker to HOST's node-runner, with the
 * job's exec token; keepalives tell the node the agent is still there.
 */
final class RshCommand {
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE = Duration.ofSeconds(1);
    private static final int UNREACHABLE = 255;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    RshCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> args) {
        RshCommandLine line;
        try {
            line = RshCommandLine.parse(args);
        } catch (RshCommandLine.BadCommandLine e) {
            return fail(e.getMessage());
        }
        String jobId = env.get(ExecAccess.JOB_ID);
        String attempt = env.get(ExecAccess.ATTEMPT);
        String token = env.get(ExecAccess.TOKEN);
        String broker = env.get(ExecAccess.BROKER_URL);
        if (jobId == null || attempt == null || token == null || broker == null || env.get(ExecAccess.USER) == null) {
            return fail("not inside a Cadre job: " + ExecAccess.JOB_ID + ", " + ExecAccess.TOKEN + " and "
                    + ExecAccess.BROKER_URL + " are not all set");
        }
        Map<String, String> nodes = ExecAccess.nodes(env.get(ExecAccess.NODES));
        String nodeId = nodes.get(line.host());
        if (nodeId == null && line.host().contains(".")) {
            nodeId = nodes.get(line.host().substring(0, line.host().indexOf('.')));
        }
        if (nodeId == null) {
            return fail("host " + line.host() + " is not part of job " + jobId + "'s allocation ("
                    + String.join(", ", nodes.keySet()) + ")");
        }
        ExecMessage.ExecRequest request;
        try {
            request = new ExecMessage.ExecRequest(UUID.randomUUID().toString(), Long.parseLong(jobId),
                    Integer.parseInt(attempt), token, line.command());
        } catch (NumberFormatException e) {
            return fail(ExecAccess.JOB_ID + " or " + ExecAccess.ATTEMPT + " is not a number");
        }
        Credentials account = new Credentials(env.get(ExecAccess.USER), env.get(ExecAccess.PASSWORD));
        try (Connection connection = BrokerConnections.open(broker, account, "rsh")) {
            return exchange(connection, nodeId, line.host(), request);
        } catch (JMSException e) {
            return fail("cannot reach " + line.host() + " through " + broker + ": " + e.getMessage());
        }
    }

    private int exchange(Connection connection, String nodeId, String host, ExecMessage.ExecRequest request)
            throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = session.createTemporaryQueue();
        MessageConsumer consumer = session.createConsumer(replies);
        Session keepaliveSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer toNode = keepaliveSession.createProducer(keepaliveSession.createQueue(
                Destinations.execQueue(nodeId)));
        toNode.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        TextMessage m = keepaliveSession.createTextMessage(MessageCodec.encode(request));
        m.setStringProperty("type", "exec-request");
        m.setJMSReplyTo(replies);
        toNode.send(m);
        ScheduledExecutorService keepalives = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cadre-rsh-keepalive");
            t.setDaemon(true);
            return t;
        });
        String keepalive = MessageCodec.encode(new ExecMessage.ExecKeepalive(request.requestId()));
        keepalives.scheduleAtFixedRate(() -> {
            try {
                toNode.send(keepaliveSession.createTextMessage(keepalive));
            } catch (JMSException e) {
                // The connection is going; the node kills the command once it hears nothing.
            }
        }, KEEPALIVE.toMillis(), KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return relay(consumer, host, request.requestId());
        } finally {
            keepalives.shutdownNow();
        }
    }

    /** Copies output until the exit; a node that has not answered within the start timeout is unreachable. */
    private int relay(MessageConsumer consumer, String host, String requestId) throws JMSException {
        boolean started = false;
        while (true) {
            Message m = started ? consumer.receive() : consumer.receive(START_TIMEOUT.toMillis());
            if (m == null) {
                return fail(started ? "the connection to " + host + " closed"
                        : host + " did not answer within " + START_TIMEOUT.toSeconds() + " s (its node-runner is"
                                + " down or unreachable)");
            }
            ExecMessage reply;
            try {
                reply = MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class);
            } catch (ProtocolException | ClassCastException e) {
                return fail("unreadable answer from " + host + ": " + e.getMessage());
            }
            if (!requestId.equals(reply.requestId())) {
                continue;
            }
            if (reply instanceof ExecMessage.ExecStarted) {
                started = true;
            } else if (reply instanceof ExecMessage.ExecOutput o) {
                started = true;
                PrintStream to = "stderr".equals(o.stream()) ? err : out;
                try {
                    to.write(Base64.getDecoder().decode(o.data()));
                } catch (IOException | IllegalArgumentException e) {
                    return fail("cannot copy the output of " + host + ": " + e.getMessage());
                }
                to.flush();
            } else if (reply instanceof ExecMessage.ExecExit x) {
                if (x.error() != null) {
                    err.println("cadre rsh: " + host + ": " + x.error());
                }
                return x.exitCode();
            }
        }
    }

    private int fail(String message) {
        err.println("cadre rsh: " + message);
        err.flush();
        return UNREACHABLE;
    }
}
