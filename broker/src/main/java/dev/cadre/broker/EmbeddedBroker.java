package dev.cadre.broker;

import dev.cadre.protocol.Destinations;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * The head's Artemis broker: persistent NIO journal under the data directory, CORE, AMQP 1.0 and STOMP
 * acceptors, the in-VM acceptor for the head's own parts, and authentication with three roles.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** In-VM URL for parts running in the broker's JVM. */
    public static final String IN_VM_URL = "vm://0";

    /**
     * Where the broker keeps its journal and which ports it listens on; port 0 lets the system pick a free one
     * (the bound port is then {@link #corePort()} and its siblings), which is how tests avoid port races.
     */
    public record Settings(Path dataDir, String bind, int corePort, int amqpPort, int stompPort, BrokerUsers users) {
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

    private final Settings settings;
    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

    public EmbeddedBroker(Settings settings) {
        this.settings = settings;
    }

    public EmbeddedBroker start() throws Exception {
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
        config.setMaxDiskUsage(98);
        config.registerBrokerPlugin(new SubmissionStamp());
        config.addAcceptorConfiguration("invm", IN_VM_URL);
        String host = settings.bind();
        config.addAcceptorConfiguration("core", "tcp://" + host + ":" + settings.corePort() + "?protocols=CORE");
        config.addAcceptorConfiguration("amqp", "tcp://" + host + ":" + settings.amqpPort() + "?protocols=AMQP");
        config.addAcceptorConfiguration("stomp", "tcp://" + host + ":" + settings.stompPort()
                + "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/");

        durableQueue(config, Destinations.SUBMIT);
        durableQueue(config, Destinations.RUNNER_EVENTS);
        durableQueue(config, Destinations.DEAD_LETTERS);
        config.addAddressConfiguration(new CoreAddressConfiguration().setName(Destinations.EVENTS)
                .addRoutingType(RoutingType.MULTICAST));

        // Off outside cadre.*: a reply to a client whose temporary queue is gone must fail, not create a
        // durable queue that nobody will ever read.
        config.addAddressSetting("#", addressSettings(false));
        config.addAddressSetting("cadre.#", addressSettings(true));

        roles(config);
        SecurityConfiguration users = new SecurityConfiguration();
        addUser(users, settings.users().admin(), BrokerUsers.ROLE_ADMIN);
        addUser(users, settings.users().submitter(), BrokerUsers.ROLE_SUBMITTER);
        addUser(users, settings.users().node(), BrokerUsers.ROLE_NODE);
        if (settings.users().exec() != null) {
            addUser(users, settings.users().exec(), BrokerUsers.ROLE_EXEC);
        }
        server.setConfiguration(config);
        server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        server.start();
        requireListening();
        return this;
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
        int[] ports = {settings.corePort(), settings.amqpPort(), settings.stompPort()};
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket(ports[i], 1, InetAddress.getByName(settings.bind()))) {
                probe.getLocalPort();
            } catch (IOException e) {
                busy.append(busy.length() == 0 ? "" : ", ").append(LISTENERS[i]).append(" port ").append(ports[i])
                        .append(" is in use");
            }
        }
        return busy.length() == 0 ? "see the log above" : busy.toString();
    }

    private static AddressSettings addressSettings(boolean autoCreate) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(Destinations.DEAD_LETTERS))
                .setExpiryAddress(SimpleString.of(Destinations.DEAD_LETTERS))
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(100)
                .setAutoCreateQueues(autoCreate)
                .setAutoCreateAddresses(autoCreate);
    }

    private static void durableQueue(ConfigurationImpl config, String name) {
        config.addAddressConfiguration(new CoreAddressConfiguration().setName(name)
                .addRoutingType(RoutingType.ANYCAST)
                .setQueueConfigs(List.of(QueueConfiguration.of(name).setAddress(name)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true))));
    }

    /**
     * Most specific match wins. Temporary reply queues have random names outside cadre.*, so '#'
     * lets clients create and use those while every cadre.* address is closed unless opened below.
     */
    private static void roles(ConfigurationImpl config) {
        Role admin = role(BrokerUsers.ROLE_ADMIN, true, true, true, true, true);
        config.putSecurityRoles("#", Set.of(admin,
                role(BrokerUsers.ROLE_SUBMITTER, true, true, false, true, true),
                role(BrokerUsers.ROLE_NODE, true, true, false, true, true),
                role(BrokerUsers.ROLE_EXEC, true, true, false, true, true)));
        config.putSecurityRoles("cadre.#", Set.of(admin));
        config.putSecurityRoles(Destinations.SUBMIT, Set.of(admin,
                role(BrokerUsers.ROLE_SUBMITTER, true, false, false, false, false)));
        // STOMP's SUBSCRIBE checks the create-address right even for an existing address, so submitters need
        // it here; deleting durable queues lets a subscriber end its own durable subscription.
        config.putSecurityRoles(Destinations.EVENTS, Set.of(admin,
                new Role(BrokerUsers.ROLE_SUBMITTER, false, true, true, true, true, true, false, true, true, false),
                role(BrokerUsers.ROLE_NODE, false, true, false, true, false)));
        // Reply addresses for clients without temporary queues (STOMP): the client subscribes to
        // cadre.reply.<its own id> first and names it as reply-to; only the scheduler (admin) sends there.
        config.putSecurityRoles(Destinations.REPLY_PREFIX + "#", Set.of(admin,
                new Role(BrokerUsers.ROLE_SUBMITTER, false, true, true, true, true, true, false, true, true, false)));
        config.putSecurityRoles(Destinations.RUNNER_EVENTS, Set.of(admin,
                role(BrokerUsers.ROLE_NODE, true, false, false, false, false)));
        config.putSecurityRoles(Destinations.NODE_PREFIX + "#", Set.of(admin,
                role(BrokerUsers.ROLE_NODE, false, true, true, false, true)));
        // Remote exec: only the agent jobs run may send, only nodes consume; a node still checks the job's token.
        config.putSecurityRoles(Destinations.EXEC_PREFIX + "#", Set.of(admin,
                role(BrokerUsers.ROLE_NODE, false, true, true, false, true),
                role(BrokerUsers.ROLE_EXEC, true, false, false, false, false)));
    }

    private static Role role(String name, boolean send, boolean consume, boolean durableQueue,
            boolean nonDurableQueue, boolean createAddress) {
        boolean all = name.equals(BrokerUsers.ROLE_ADMIN);
        return new Role(name, send, consume, durableQueue, all, nonDurableQueue, nonDurableQueue, all, all || consume,
                createAddress, all);
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

    private int boundPort(String listener) {
        if (!(server.getActiveMQServer().getRemotingService().getAcceptor(listener) instanceof NettyAcceptor a)
                || !a.isStarted()) {
            throw new IllegalStateException("the broker's " + listener + " listener is not running");
        }
        return a.getActualPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
