package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerLimits;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.ClientFile;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.NodeListener;
import dev.cadre.broker.NodeQueues;
import dev.cadre.broker.RequestClient;
import dev.cadre.broker.SubmissionDiskLimit;
import dev.cadre.broker.TlsKeyStore;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.node.LocalNetwork;
import dev.cadre.node.NodeIdentity;
import dev.cadre.node.NodeResources;
import dev.cadre.node.NodeRunner;
import dev.cadre.node.PrivateDirectory;
import dev.cadre.node.MpiInstallation;
import dev.cadre.node.RemoteExec;
import dev.cadre.node.RuntimeDirectory;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.node.core.HeadRecord;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.scheduler.HistoryPruner;
import dev.cadre.scheduler.MailSender;
import dev.cadre.scheduler.SchedulerService;
import dev.cadre.web.WebServer;
import jakarta.jms.Connection;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import dev.cadre.scheduler.core.SchedulerSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The head's parts in one JVM: broker, scheduler with SQLite, REST API and status page, and (for 'cadre up') a local
 * node-runner. Closing stops them in reverse order of starting.
 */
final class Head implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Head.class);
    static final String DATA_DIRECTORY = "the data directory";
    record Options(Path dataDir, String bind, int httpPort, int brokerPort, int amqpPort, int stompPort,
            boolean localNode, SchedulerSettings scheduling, Duration heartbeat, Duration killGrace, Integer cores,
            String cluster, String mdnsAddress, Path runtimeDir, ProcessTracking.Mode processTracking,
            Duration memoryChecks, int nodePort, Path mailProgram, CpuChoice.Mode cpuBinding, boolean clientTls,
            NodeGpus gpus) {
        /** The value of mdnsAddress that turns the announcement off. */
        static final String NO_MDNS = "off";

        /** The local node finds its GPUs with nvidia-smi. */
        Options(Path dataDir, String bind, int httpPort, int brokerPort, int amqpPort, int stompPort,
                boolean localNode, SchedulerSettings scheduling, Duration heartbeat, Duration killGrace, Integer cores,
                String cluster, String mdnsAddress, Path runtimeDir, ProcessTracking.Mode processTracking,
                Duration memoryChecks, int nodePort, Path mailProgram, CpuChoice.Mode cpuBinding, boolean clientTls) {
            this(dataDir, bind, httpPort, brokerPort, amqpPort, stompPort, localNode, scheduling, heartbeat, killGrace,
                    cores, cluster, mdnsAddress, runtimeDir, processTracking, memoryChecks, nodePort, mailProgram,
                    cpuBinding, clientTls, null);
        }

        /**
         * The local node measures jobs' memory every second and binds jobs to their CPUs; the TLS listener for nodes
         * is on a free port; no mail; plain client listeners.
         */
        Options(Path dataDir, String bind, int httpPort, int brokerPort, int amqpPort, int stompPort,
                boolean localNode, SchedulerSettings scheduling, Duration heartbeat, Duration killGrace, Integer cores,
                String cluster, String mdnsAddress, Path runtimeDir, ProcessTracking.Mode processTracking) {
            this(dataDir, bind, httpPort, brokerPort, amqpPort, stompPort, localNode, scheduling, heartbeat, killGrace,
                    cores, cluster, mdnsAddress, runtimeDir, processTracking, Duration.ofSeconds(1), 0, null,
                    CpuChoice.Mode.CORES, false, null);
        }
    }

    private final Options options;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private WebServer web;
    private ClientFile clientFile;
    private SchedulerService scheduler;

    Head(Options options) {
        this.options = options;
    }

    /** Starts every part; if one fails, the ones already started are stopped again. */
    Head start() throws Exception {
        try {
            startParts();
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        BindAddress bind = BindAddress.parse(options.bind());
        // The lock before the ports, so that a second head on this directory hears whose it is; but a directory
        // that does not exist yet is no one's, and is made only once the ports are free: a refusal leaves nothing.
        boolean existed = Files.isDirectory(options.dataDir());
        if (!existed) {
            ListenerPorts.checkFree(bind.host(), ListenerPorts.of(options));
        }
        // Job specs carry users' environments, and a root head's node runs what it holds: the owner's alone.
        Path dataDir = PrivateDirectory.prepare(options.dataDir(), DATA_DIRECTORY, "--data-dir");
        // Before anything touches the directory; closed last.
        started.push(DirectoryLock.take(dataDir, "data directory"));
        if (existed) {
            ListenerPorts.checkFree(bind.host(), ListenerPorts.of(options));
        }
        // The local node's too, before any part starts: a 'cadre node --state-dir' on it would share this node's id
        // and records, and a refusal found after the scheduler started would have it read the queues for nothing.
        // After the ports: it makes the node's directory, which a refused start should not leave behind.
        Path nodeState = null;
        if (options.localNode()) {
            nodeState = PrivateDirectory.prepare(dataDir.resolve("node"), NodeIdentity.STATE_DIRECTORY, "--data-dir");
            started.push(DirectoryLock.take(nodeState, "node state directory"));
        }
        HeadSecrets secrets = HeadSecrets.loadOrCreate(dataDir);
        BrokerUsers users = secrets.users();
        // Checked before the broker starts: a database the head cannot use refuses the start, and no client has
        // handed the broker anything yet.
        Jdbi jdbi = Database.open(dataDir.resolve("cadre.db"));
        HeadKeyStore keyStore = HeadKeyStore.loadOrCreate(dataDir, secrets.keyStorePassword());
        // With --client-tls the clients' ports serve the key nodes pin already: one certificate to hand out.
        TlsKeyStore clientTls = options.clientTls() ? new TlsKeyStore(keyStore.file(), keyStore.password()) : null;
        EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dataDir, bind.host(),
                options.brokerPort(), options.amqpPort(), options.stompPort(), users))
                .withNodeListener(new NodeListener(options.nodePort(), keyStore.file(),
                        keyStore.password()));
        if (clientTls != null) {
            broker.withClientTls(clientTls);
        }
        started.push(broker.start());

        JobStore jobs = new JobStore(jdbi);
        started.push(jobs);
        NodeStore nodes = new NodeStore(jdbi);
        // Before the scheduler runs: a node deleted just before a crash left its queues behind.
        NodeQueues nodeQueues = broker.nodeQueues();
        started.push(nodeQueues);
        nodeQueues.removeAllBut(nodes.list().stream().map(NodeRecord::id).toList());
        Connection schedulerConnection = open(users, "scheduler");
        ServiceStore services = new ServiceStore(jdbi);
        ReservationStore reservations = new ReservationStore(jdbi);
        PartitionStore partitions = new PartitionStore(jdbi);
        // The head's own time zone: a recurring reservation keeps its local time across summer time, as slurmctld's.
        scheduler = new SchedulerService(schedulerConnection, jobs, nodes, services, reservations, partitions,
                Clock.systemDefaultZone(), new SchedulerService.Settings(options.scheduling(), Duration.ofSeconds(1),
                        500, secrets.execSecret(), Head::exitOnFatal));
        started.push(scheduler);
        if (options.mailProgram() != null) {
            scheduler.sendMail(new MailSender(options.mailProgram()));
            LOG.info("job mail (--mail-type) is sent with {}", options.mailProgram());
        } else {
            LOG.info("job mail (--mail-type) is off: --mail-prog '' given, or none given and no /usr/bin/mail to run");
        }

        RequestClient requests = new RequestClient(open(users, "web"));
        started.push(requests);
        // Its own connection: the reads of job output are not held up by the requests'.
        Connection webBroker = open(users, "web-output");
        // The broker's bound for submitters, which the REST API's submissions (the Slurm commands') must meet too.
        web = new WebServer(new WebServer.Settings(bind.host(), options.httpPort(), users.restToken(),
                WebServer.Limits.DEFAULT, new SubmissionDiskLimit(dataDir,
                        BrokerLimits.fromEnvironment(System.getenv()).clientDiskPercent()), clientTls),
                jobs, nodes, services, reservations, partitions, requests, webBroker, scheduler.diagnostics());
        started.push(web);
        // Before the scheduler starts: the web's event streams then have the events it republishes too.
        scheduler.addEventListener(web.eventListener()).addEventListener(nodeQueues.deletions()).start();
        web.start();

        String host = bind.urlHost(NodeIdentity.hostname());
        String coreUrl = "tcp://" + host + ":" + options.brokerPort();
        clientFile = clientTls == null ? new ClientFile(coreUrl, "amqp://" + host + ":" + options.amqpPort(),
                "stomp://" + host + ":" + options.stompPort(), "http://" + host + ":" + web.port(),
                users.submitter().user(), users.submitter().password(), users.restToken())
                : new ClientFile(coreUrl + "?sslEnabled=true", "amqps://" + host + ":" + options.amqpPort(),
                        "stomp+ssl://" + host + ":" + options.stompPort(), "https://" + host + ":" + web.port(),
                        users.submitter().user(), users.submitter().password(), users.restToken(), null, null, null,
                        keyStore.pem());
        clientFile.write(dataDir.resolve(ClientFile.CLIENT_FILE));
        // Nodes pin the certificate and use the port: a broker that cannot show it gets nothing from them.
        new ClientFile(coreUrl, null, null, null, users.node().user(), users.node().password(), null,
                users.exec().user(), users.exec().password(), broker.nodePort(), keyStore.pem())
                .write(dataDir.resolve(ClientFile.NODE_FILE));

        if (options.localNode()) {
            Connection nodeConnection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.node(), "node");
            started.push(nodeConnection::close);
            started.push(new NodeRunner(nodeConnection, new NodeRunner.Settings(nodeState,
                    NodeIdentity.hostname(), NodeResources.detect(options.cores(), null, options.gpus()),
                    options.heartbeat(),
                    options.killGrace(), options.cluster(), RemoteExec.fromEnvironment(new ExecAccess(
                            EmbeddedBroker.IN_VM_URL, users.exec().user(), users.exec().password()),
                            MpiInstallation.find(MpiInstallation.AUTO).orElse(null)),
                    RuntimeDirectory.choose(nodeState, Optional.ofNullable(options.runtimeDir())),
                    options.processTracking(), options.memoryChecks(), options.cpuBinding()),
                    Clock.systemUTC()).start());
        }
        announce();
    }

    /** Last, so nodes find a head that is fully up, and stop finding it first when it closes. */
    private void announce() throws java.io.IOException {
        if (Options.NO_MDNS.equals(options.mdnsAddress())) {
            return;
        }
        BindAddress bind = BindAddress.parse(options.bind());
        int port = options.brokerPort();
        if (bind.kind() == BindAddress.Kind.IPV6) {
            LOG.warn("not announcing over mDNS: its record carries an IPv4 address or a host name, and the broker"
                    + " listens on {} only; give nodes --server tcp://{}:{}", bind.host(), bind.host(), port);
            return;
        }
        // Bound to all addresses, the record names the one announced from; bound to a name, the name.
        java.util.function.Function<InetAddress, HeadRecord> record = from -> new HeadRecord(options.cluster(),
                "tcp://" + (bind.kind() == BindAddress.Kind.ANY ? from.getHostAddress() : bind.host()) + ":" + port);
        String fixed = options.mdnsAddress() != null ? options.mdnsAddress()
                : bind.kind() == BindAddress.Kind.IPV4 ? bind.host() : null;
        started.push(fixed != null ? HeadAnnouncement.start(LocalNetwork.mdnsAddress(fixed), record, port)
                : HeadAnnouncement.follow(LocalNetwork::chosenAddress, record, port, HeadAnnouncement.POLL));
    }

    private Connection open(BrokerUsers users, String name) throws Exception {
        Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), name);
        started.push(c::close);
        return c;
    }

    ClientFile clientFile() {
        return clientFile;
    }

    WebServer web() {
        return web;
    }

    /** For the history pruner: the scheduler's memory of ended jobs, which must forget what it deletes. */
    HistoryPruner.Memory historyMemory() {
        return scheduler.historyMemory();
    }

    private static void exitOnFatal(Throwable e) {
        // SQLite holds the truth; exiting lets a supervisor restart from it instead of running on stale memory.
        new Thread(() -> System.exit(70), "cadre-fatal-exit").start();
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("cadre: error while stopping: " + e);
            }
        }
    }
}
