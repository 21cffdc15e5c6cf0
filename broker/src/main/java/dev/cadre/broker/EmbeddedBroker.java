package dev.cadre.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.ConfigurationUtils;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's Artemis broker: persistent NIO journal under the data directory, CORE, AMQP 1.0 and STOMP
 * acceptors (plain, or TLS alone with {@link #withClientTls}), the in-VM acceptor for the head's own parts,
 * authentication with four roles ({@link BrokerRoles}), and limits on what clients can make it hold
 * ({@link BrokerLimits}) and on how many sockets it holds ({@link ConnectionBounds}).
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** In-VM URL for parts running in the broker's JVM. */
    public static final String IN_VM_URL = "vm://0";

    /**
     * Where the broker keeps its journal and which ports it listens on; port 0 lets the system pick a free one
     * (the bound port is then {@link #corePort()} and its siblings), which is how tests avoid port races.
     */
    public record Settings(Path dataDir, String bind, int corePort, int amqpPort, int stompPort, BrokerUsers users,
            BrokerLimits limits) {
        /** With the limits of the environment ({@link BrokerLimits#fromEnvironment}), else the defaults. */
        public Settings(Path dataDir, String bind, int corePort, int amqpPort, int stompPort, BrokerUsers users) {
            this(dataDir, bind, corePort, amqpPort, stompPort, users, BrokerLimits.fromEnvironment(System.getenv()));
        }

        public Settings {
            int[] ports = {corePort, amqpPort, stompPort};
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] < 0 || ports[i] > 65535) {
                    throw new IllegalArgumentException("the " + LISTENERS[i] + " port must be from 0 to 65535, not "
                            + ports[i]);
                }
                for (int j = 0; j < i; j++) {
                    if (ports[i] != 0 && ports[i] == ports[j]) {
                        throw new IllegalArgumentException("the " + LISTENERS[j] + " and " + LISTENERS[i]
                                + " listeners cannot share port " + ports[i]);
                    }
                }
            }
        }
    }

    private static final String[] LISTENERS = {"core", "amqp", "stomp"};
    private static final String NODE_LISTENER = "node";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Settings settings;
    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private NodeListener nodeListener;
    private TlsKeyStore clientTls;
    private ConnectionBounds connections;

    public EmbeddedBroker(Settings settings) {
        this.settings = settings;
    }

    /** Adds the TLS listener for nodes; before {@link #start()}. */
    public EmbeddedBroker withNodeListener(NodeListener listener) {
        int[] ports = {settings.corePort(), settings.amqpPort(), settings.stompPort()};
        for (int i = 0; i < ports.length; i++) {
            if (listener.port() != 0 && listener.port() == ports[i]) {
                throw new IllegalArgumentException("the " + LISTENERS[i] + " and node listeners cannot share port "
                        + ports[i]);
            }
        }
        this.nodeListener = listener;
        return this;
    }

    /**
     * Serves the CORE, AMQP and STOMP ports over TLS alone, with this key (the head's, as on the node port); before
     * {@link #start()}. Without it they are plain.
     */
    public EmbeddedBroker withClientTls(TlsKeyStore key) {
        this.clientTls = key;
        return this;
    }

    /**
     * The bounds on network connections; before {@link #start()}. Without it, {@link ConnectionBounds#forThisProcess}.
     */
    public EmbeddedBroker withConnectionBounds(ConnectionBounds bounds) {
        this.connections = bounds;
        return this;
    }

    public EmbeddedBroker start() throws Exception {
        ConnectionBounds bounds = connections != null ? connections : ConnectionBounds.forThisProcess();
        Path dir = settings.dataDir().resolve("broker");
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("cadre");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        // The default 3.33 ms buffer timeout caps durable sync sends near 300/s; 0.1 ms lifts that.
        config.setJournalBufferTimeout_NIO(100_000);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        config.setJMXManagementEnabled(false);
        config.setSecurityEnabled(true);
        config.setPersistIDCache(true);
        config.setIDCacheSize(100_000);
        // A message's delivery count is stored before each delivery, so that a message that takes the scheduler
        // down with it is dead-lettered after its attempts instead of being delivered at every start for ever.
        config.setPersistDeliveryCountBeforeDelivery(true);
        BrokerLimits limits = settings.limits();
        config.setMaxDiskUsage(BrokerLimits.BROKER_DISK_PERCENT);
        config.setGlobalMaxSize(limits.globalMaxBytes());
        // Artemis looks for expired messages every 30 s; a shorter retention (tests) is looked at more often.
        config.setMessageExpiryScanPeriod(Math.min(30_000L, Math.max(100L, limits.eventRetention().toMillis() / 4)));
        // Matches temporary queues as <namespace>.<name> (Artemis' temporary-queue namespace, now named for UUIDs).
        config.setUuidNamespace(BrokerRoles.TEMPORARY_NAMESPACE);
        // The size check first: a message it refuses is not stamped.
        config.registerBrokerPlugin(new SendLimits(settings.users().submitter().user(), dir,
                limits.clientDiskPercent()));
        config.registerBrokerPlugin(new SubmissionStamp());
        config.addAcceptorConfiguration("invm", IN_VM_URL);
        String host = settings.bind();
        // Artemis' own bound, behind the ConnectionGate's, which also counts sockets that have sent nothing yet.
        addClientAcceptor(config, "core", "tcp://" + host + ":" + settings.corePort() + "?protocols=CORE;"
                + "connectionsAllowed=" + bounds.coreConnections());
        // An AMQP message above this size is kept as a large message, whose properties the stamp cannot change for
        // good; every AMQP message the size check lets through stays below it.
        addClientAcceptor(config, "amqp", "tcp://" + host + ":" + settings.amqpPort()
                + "?protocols=AMQP;amqpMinLargeMessageSize=" + (BrokerLimits.MAX_REQUEST_BYTES + 1)
                + ";connectionsAllowed=" + bounds.amqpConnections());
        // Likewise for STOMP, whose default is 100 KiB: a STOMP request kept as a large message reached the
        // scheduler, which gathers a batch before it reads the bodies, without its first 100 KiB. No STOMP frame the
        // broker reads is as large as this.
        addClientAcceptor(config, "stomp", "tcp://" + host + ":" + settings.stompPort()
                + "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/;stompMinLargeMessageSize="
                + (BrokerLimits.MAX_STOMP_FRAME_BYTES + 1) + ";connectionsAllowed=" + bounds.stompConnections());
        if (nodeListener != null) {
            config.addAcceptorConfiguration(nodeListener.acceptor(host, NODE_LISTENER, bounds.nodes()));
        }

        BrokerAddresses.apply(config, limits);
        SelectorLimit.apply(config);
        DurableSubscriptionLimit durableLimit = DurableSubscriptionLimit.apply(config,
                settings.users().submitter().user(), limits.submitter());
        BrokerRoles.apply(config);
        SecurityConfiguration users = new SecurityConfiguration();
        addUser(users, settings.users().admin(), BrokerUsers.ROLE_ADMIN);
        addUser(users, settings.users().submitter(), BrokerUsers.ROLE_SUBMITTER);
        addUser(users, settings.users().node(), BrokerUsers.ROLE_NODE);
        if (settings.users().exec() != null) {
            addUser(users, settings.users().exec(), BrokerUsers.ROLE_EXEC);
        }
        server.setConfiguration(config);
        server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        server.createActiveMQServer();
        server.getActiveMQServer().registerActivateCallback(new AutoDeleteUpgrade(server.getActiveMQServer()));
        // Take the places of STOMP and CORE (explicitly added protocols win over the built-in and class path ones).
        server.getActiveMQServer().addProtocolManagerFactory(new BoundedStompProtocol(
                BrokerLimits.MAX_STOMP_FRAME_BYTES));
        server.getActiveMQServer().addProtocolManagerFactory(new BoundedCoreProtocol(
                BrokerLimits.MAX_CORE_PACKET_BYTES));
        server.start();
        server.getActiveMQServer().getRemotingService().addIncomingInterceptor(new StompBounds(
                server.getActiveMQServer(), settings.users().submitter().user(), limits.submitter(), durableLimit));
        LOG.info("the broker keeps events for subscribers that are away for {} ({}), stomp frames up to {} bytes, "
                + "core packets up to {} bytes", BrokerLimits.describe(limits.eventRetention()),
                BrokerLimits.EVENT_RETENTION_ENV, BrokerLimits.MAX_STOMP_FRAME_BYTES,
                BrokerLimits.MAX_CORE_PACKET_BYTES);
        requireListening();
        try {
            ConnectionGate.installAll(server.getActiveMQServer(), bounds, LISTENERS,
                    nodeListener != null ? NODE_LISTENER : null, clientTls == null);
            LOG.info("the head holds at most {}", bounds.describe());
        } catch (IllegalStateException e) {
            server.stop();
            throw e;
        }
        return this;
    }

    /** A client listener as its URL says, with the TLS parameters added under {@link #withClientTls}. */
    private void addClientAcceptor(ConfigurationImpl config, String name, String url) throws Exception {
        if (clientTls == null) {
            config.addAcceptorConfiguration(name, url);
            return;
        }
        for (TransportConfiguration plain : ConfigurationUtils.parseAcceptorURI(name, url)) {
            Map<String, Object> params = new HashMap<>(plain.getParams());
            params.putAll(clientTls.acceptorParams());
            config.addAcceptorConfiguration(new TransportConfiguration(plain.getFactoryClassName(), params, name,
                    plain.getExtraParams()));
        }
    }

    /** Artemis only logs an acceptor that cannot bind and carries on; a head without its ports must not. */
    private void requireListening() throws Exception {
        var remoting = server.getActiveMQServer().getRemotingService();
        boolean listening = server.getActiveMQServer().isActive()
                && remoting.getAcceptors().values().stream().allMatch(a -> a.isStarted());
        if (!listening) {
            server.stop();
            throw new IllegalStateException("the broker could not start its listeners: " + busyPorts());
        }
    }

    private String busyPorts() {
        StringBuilder busy = new StringBuilder();
        int[] ports = {settings.corePort(), settings.amqpPort(), settings.stompPort(),
            nodeListener == null ? 0 : nodeListener.port()};
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket(ports[i], 1, InetAddress.getByName(settings.bind()))) {
                probe.getLocalPort();
            } catch (IOException e) {
                busy.append(busy.length() == 0 ? "" : ", ").append(i < LISTENERS.length ? LISTENERS[i] : NODE_LISTENER)
                        .append(" port ").append(ports[i]).append(" is in use");
            }
        }
        return busy.length() == 0 ? "see the log above" : busy.toString();
    }

    private static void addUser(SecurityConfiguration users, Credentials c, String role) {
        users.addUser(c.user(), c.password());
        users.addRole(c.user(), role);
    }

    /** The port the CORE listener is bound to: the configured one, or the one the system picked for port 0. */
    public int corePort() {
        return boundPort("core");
    }

    public int amqpPort() {
        return boundPort("amqp");
    }

    public int stompPort() {
        return boundPort("stomp");
    }

    /** The port of the TLS listener for nodes ({@link #withNodeListener}). */
    public int nodePort() {
        return boundPort(NODE_LISTENER);
    }

    private int boundPort(String listener) {
        if (!(server.getActiveMQServer().getRemotingService().getAcceptor(listener) instanceof NettyAcceptor a)
                || !a.isStarted()) {
            throw new IllegalStateException("the broker's " + listener + " listener is not running");
        }
        return a.getActualPort();
    }

    /** Removal of the queues of deleted nodes; once started. */
    public NodeQueues nodeQueues() {
        return new NodeQueues(server.getActiveMQServer());
    }

    /** Messages waiting on a queue (a subscription's too), paged ones included; -1 when there is no such queue. */
    long messagesOn(String queue) {
        var q = server.getActiveMQServer().locateQueue(queue);
        return q == null ? -1 : q.getMessageCount();
    }

    /** Artemis itself, for tests that set up a journal as an older Cadre left it. */
    ActiveMQServer artemis() {
        return server.getActiveMQServer();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
