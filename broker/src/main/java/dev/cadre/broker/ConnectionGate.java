package dev.cadre.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.Future;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds one listener's sockets from their accept, before Artemis has read a byte of them, and closes each that has
 * not logged in by the login deadline. Artemis' own {@code connectionsAllowed} (set too) counts a connection only
 * once its first bytes have named the protocol, so sockets that send nothing were bounded by nothing but its 10 s
 * handshake timeout; and a STOMP connection that sends half a CONNECT was kept for the 60 s connection TTL, which
 * also keeps logged-in clients without heart-beats, so it cannot be shortened. Artemis also logs every refusal and
 * timeout (AMQ222206, AMQ224088) on its server logger, whose other warnings matter: here the first refusal and
 * the first late login are logged whole and the rest once a minute. It sits on the listener's server channel,
 * in front of the handler that registers each accepted socket.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    private static final Duration SUMMARY_PERIOD = Duration.ofMinutes(1);
    private static final String NAME = "cadre-connection-gate";
    /** How long a start waits for a listener's event loop, busy with other connections, to take the gate. */
    static final Duration GUARD_WAIT = Duration.ofSeconds(30);

    private final String listener;
    private final int allowance;
    private final Duration loginDeadline;
    private final ActiveMQServer server;
    private final AtomicInteger open = new AtomicInteger();
    private final RepeatedWarning refusals;
    private final RepeatedWarning lateLogins;
    /** The protocol of a plain listener waiting for a protocol header, whose sockets {@link PlainPortTls} watches. */
    private final String tlsWatched;

    /** Put in front of a listener by {@link #install}; tests put it in front of an embedded channel. */
    ConnectionGate(String listener, int allowance, String bound, Duration loginDeadline, ActiveMQServer server) {
        this(listener, allowance, bound, loginDeadline, server, null);
    }

    /** @param tlsWatched as the field; null for a TLS listener, or one that takes any bytes for its protocol (CORE) */
    ConnectionGate(String listener, int allowance, String bound, Duration loginDeadline, ActiveMQServer server,
            String tlsWatched) {
        this.tlsWatched = tlsWatched;
        this.listener = listener;
        this.allowance = allowance;
        this.loginDeadline = loginDeadline;
        this.server = server;
        refusals = new RepeatedWarning("the " + listener + " listener holds its " + allowance + " connections ("
                + bound + ") and refused a connection", SUMMARY_PERIOD, Clock.systemUTC());
        lateLogins = new RepeatedWarning("the " + listener + " listener closed a connection that had not logged in"
                + " within " + BrokerLimits.describe(loginDeadline) + ",", SUMMARY_PERIOD, Clock.systemUTC());
    }

    /**
     * Puts gates in front of the broker's started listeners: the client ones (core, amqp, stomp, in that order)
     * with their shares of the client allowance, the node one (null for none) with its own.
     *
     * @param plainClients whether the client listeners are plain: then a TLS client on amqp or stomp is named
     */
    static void installAll(ActiveMQServer server, ConnectionBounds bounds, String[] clientListeners,
            String nodeListener, boolean plainClients) {
        var remoting = server.getRemotingService();
        int[] allowances = {bounds.coreConnections(), bounds.amqpConnections(), bounds.stompConnections()};
        for (int i = 0; i < clientListeners.length; i++) {
            if (remoting.getAcceptor(clientListeners[i]) instanceof NettyAcceptor a && a.isStarted()) {
                String watched = plainClients && i > 0 ? clientListeners[i].toUpperCase(Locale.ROOT) : null;
                install(a, new ConnectionGate(clientListeners[i], allowances[i],
                        ConnectionBounds.CLIENT_CONNECTIONS_ENV, bounds.loginDeadline(), server, watched));
            }
        }
        if (nodeListener != null && remoting.getAcceptor(nodeListener) instanceof NettyAcceptor a && a.isStarted()) {
            install(a, new ConnectionGate(nodeListener, bounds.nodes(), "its own, apart from the clients'; "
                    + ConnectionBounds.NODE_CONNECTIONS_ENV + " or a higher ulimit -n raises it",
                    bounds.loginDeadline(), server));
        }
    }

    /**
     * Puts a gate in front of a started listener's accepts.
     *
     * @throws IllegalStateException when this Artemis keeps its server channels elsewhere (an upgrade changed it)
     */
    private static void install(NettyAcceptor acceptor, ConnectionGate gate) {
        String listener = gate.listener;
        ChannelGroup channels;
        try {
            // Artemis offers no way to its server channels, whose pipeline sees each accepted socket first.
            Field f = NettyAcceptor.class.getDeclaredField("serverChannelGroup");
            f.setAccessible(true);
            channels = (ChannelGroup) f.get(acceptor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot bound the connections of the " + listener + " listener: this"
                    + " Artemis keeps its server channels differently (" + e + ")", e);
        }
        if (channels == null || channels.isEmpty()) {
            throw new IllegalStateException("cannot bound the connections of the " + listener + " listener: it has no"
                    + " server channel");
        }
        for (Channel c : channels) {
            gate.guard(c, listener);
        }
    }

    /**
     * Puts this gate in front of a server channel's accepts, and returns once it sees each socket the channel hands on
     * from then. Added from another thread, Netty would only mark it pending and let the channel's event loop complete
     * it later; until then every accept passes it uncounted, which a loaded head's loop can leave for a whole flood,
     * and Artemis' own bound, checked on each socket's own event loop, then lets more than the allowance in. So it is
     * added on the event loop itself, where adding it completes at once.
     *
     * @throws IllegalStateException when the event loop has not taken it within {@link #GUARD_WAIT}
     */
    void guard(Channel serverChannel, String listener) {
        Future<?> added = serverChannel.eventLoop().submit(() -> serverChannel.pipeline().addFirst(NAME, this));
        boolean done;
        try {
            done = added.await(GUARD_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done || !added.isSuccess()) {
            throw new IllegalStateException("cannot bound the connections of the " + listener + " listener: its"
                    + " event loop did not take the bound within " + BrokerLimits.describe(GUARD_WAIT)
                    + (added.cause() == null ? "" : " (" + added.cause() + ")"), added.cause());
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Looks often, so that a summary comes soon after its period has passed.
        ctx.executor().scheduleAtFixedRate(() -> {
            log(refusals.summary());
            log(lateLogins.summary());
        }, 10, 10, TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel socket)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (open.incrementAndGet() > allowance) {
            open.decrementAndGet();
            // Not yet registered with an event loop: closed as Netty closes a socket it cannot register.
            socket.unsafe().closeForcibly();
            log(refusals.occurred("from " + socket.remoteAddress()));
            return;
        }
        // Once per socket: a socket Netty fails to register is closed forcibly, which completes no close future, so
        // the deadline gives its slot back too.
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
            if (socket.isOpen()) {
                closeIfNotLoggedIn(socket);
            } else {
                release.run();
            }
        }, loginDeadline.toMillis(), TimeUnit.MILLISECONDS);
        // Cancelled, the deadline lets go of a closed socket at once, not 10 s later: a client connecting and
        // closing in a loop would otherwise keep every socket of the last 10 s.
        socket.closeFuture().addListener(f -> {
            release.run();
            deadline.cancel(false);
        });
        if (tlsWatched != null) {
            // First: Artemis adds its protocol detection after it, once the socket is registered.
            socket.pipeline().addFirst(PlainPortTls.logging(tlsWatched));
        }
        ctx.fireChannelRead(socket);
    }

    private void closeIfNotLoggedIn(Channel socket) {
        if (!socket.isOpen() || loggedIn(socket)) {
            return;
        }
        log(lateLogins.occurred("from " + socket.remoteAddress()));
        // On the socket's own thread, as Artemis handles it. Taken out of the remoting service before it is closed:
        // a close would otherwise fail it, which logs two warnings (AMQ222067, and STOMP's for the ERROR frame it
        // sends) each time; destroy() frees the same, quietly. Not logged in, it holds no session.
        socket.eventLoop().execute(() -> {
            RemotingConnection c = server.getRemotingService().removeConnection(socket.id());
            if (c != null) {
                c.destroy();
            }
            socket.close();
        });
    }

    /**
     * Logged in: the broker authenticated the connection (STOMP CONNECT, AMQP SASL, a CORE session), or it holds a
     * session, which a CORE client that reattached its sessions after a network failure has without a new login.
     */
    private boolean loggedIn(Channel socket) {
        RemotingConnection c = server.getRemotingService().getConnection(socket.id());
        return c != null && (c.getSubject() != null || !server.getSessions(c.getID().toString()).isEmpty());
    }

    private static void log(Optional<String> line) {
        line.ifPresent(LOG::warn);
    }
}
