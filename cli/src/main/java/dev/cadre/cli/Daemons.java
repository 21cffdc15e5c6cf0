package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
import dev.cadre.broker.Credentials;
import dev.cadre.db.Database;
import dev.cadre.db.HistoryPruneStore;
import dev.cadre.db.UnusableDatabase;
import dev.cadre.node.HeadDiscovery;
import dev.cadre.node.LastHead;
import dev.cadre.node.LocalNetwork;
import dev.cadre.node.MpiInstallation;
import dev.cadre.node.NodeIdentity;
import dev.cadre.node.NodeResources;
import dev.cadre.node.NodeRunner;
import dev.cadre.node.PrivateDirectory;
import dev.cadre.node.RemoteExec;
import dev.cadre.node.RuntimeDirectory;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.HeadSightings;
import dev.cadre.node.core.MpiLauncher;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.scheduler.HistoryPruner;
import dev.cadre.scheduler.core.HistoryRetention;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The long-running commands: {@code cadre up}, {@code server} and {@code node}. Kept apart from {@link Main} so
 * that a client command never loads the broker, scheduler or web classes.
 */
final class Daemons {
    static final Set<String> NODE_OPTIONS = Set.of("server", "config", "state-dir", "cores", "gpus", "memory",
            "heartbeat", "kill-grace", "hostname", "cluster", "mdns-address", "discovery-wait", "mpi", "runtime-dir",
            "process-tracking", "rediscover-after", "memory-check-interval", "cpu-binding");
    /** Options of the head's local node, which only 'cadre up' starts. */
    static final Set<String> LOCAL_NODE_OPTIONS = Set.of("cores", "gpus", "heartbeat", "runtime-dir",
            "process-tracking", "memory-check-interval", "cpu-binding");
    static final Set<String> HEAD_OPTIONS = Set.of("data-dir", "http-port", "broker-port", "node-port",
            "amqp-port", "stomp-port", "bind", "node-timeout", "heartbeat", "kill-grace", "cores", "cluster",
            "mdns-address",
            "scheduler-policy", "backfill-depth", "backfill-resolution", "backfill-window", "requeue-backoff",
            "requeue-backoff-max", "dependency-never-satisfied", "runtime-dir", "process-tracking",
            "job-history-retention", "memory-check-interval", "mail-prog", "cpu-binding", "gpus",
            "priority-weight-fairshare", "priority-decay-half-life", "priority-calc-period");
    /** The head's options that take no value. */
    static final Set<String> HEAD_FLAGS = Set.of("enable-user-top", "client-tls");

    /**
     * How long discovery keeps listening after the first head, so that a second head of the cluster shows (a loaded
     * machine resolved one more than 2 s after the first).
     */
    private static final Duration DISCOVERY_WINDOW = Duration.ofSeconds(5);

    private Daemons() {
    }

    static int head(List<String> args, boolean withNode) throws Exception {
        LongOptions o = new LongOptions(args, HEAD_OPTIONS, HEAD_FLAGS);
        for (String localNode : LOCAL_NODE_OPTIONS) {
            if (!withNode && o.get(localNode, null) != null) {
                throw new LongOptions.UsageException("--" + localNode + " is for 'cadre up' only: 'cadre server'"
                        + " starts no node of its own (give it to 'cadre node')");
            }
        }
        Head.Options options = new Head.Options(
                Path.of(o.get("data-dir", ClientFile.defaultDataDir(System.getenv()).toString())),
                o.get("bind", "127.0.0.1"),
                o.integer("http-port", 6820, 0, 65535), o.integer("broker-port", 61616, 1, 65535),
                o.integer("amqp-port", 5672, 1, 65535), o.integer("stomp-port", 61613, 1, 65535), withNode,
                DaemonOptions.scheduling(o), Duration.ofMillis(o.integer("heartbeat", 2000, 50, 600_000)),
                Duration.ofSeconds(o.integer("kill-grace", 10, 0, 3600)), o.integer("cores", null, 1, 1 << 20),
                DaemonOptions.cluster(o), o.get("mdns-address", null), DaemonOptions.runtimeDir(o),
                DaemonOptions.processTracking(o), DaemonOptions.memoryChecks(o),
                o.integer("node-port", 61617, 0, 65535), DaemonOptions.mailProgram(o), DaemonOptions.cpuBinding(o),
                o.flag("client-tls"), DaemonOptions.gpus(o));
        HistoryRetention retention = DaemonOptions.historyRetention(o, System.getenv());
        DaemonOptions.checkBrokerSettings(System.getenv());
        if (withNode) {
            DaemonOptions.checkLocalNodeHostname(NodeIdentity.hostname());
        }
        if (options.mdnsAddress() != null && !options.mdnsAddress().equals(Head.Options.NO_MDNS)) {
            mdnsAddress(options.mdnsAddress());
        }
        try {
            BindAddress.parse(options.bind());
        } catch (IllegalArgumentException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
        ListenerPorts.checkDistinct(ListenerPorts.of(options));
        Head head;
        try {
            head = new Head(options).start();
        } catch (PrivateDirectory.Refused | DirectoryLock.InUse | ListenerPorts.Unavailable | UnusableDatabase e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
        // Its own connection to the head's cadre.db: pruning shares nothing with the scheduler but the file.
        HistoryPruner pruner = retention.forever() ? null : new HistoryPruner(new HistoryPruneStore(Database.open(
                options.dataDir().resolve("cadre.db"))), Clock.systemUTC(), HistoryPruner.Settings.of(retention),
                head.historyMemory()).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (pruner != null) {
                    pruner.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            head.close();
            stopped.countDown();
        }, "cadre-shutdown"));
        ClientFile f = head.clientFile();
        Path dataDir = options.dataDir().toAbsolutePath();
        System.out.println("Cadre is up" + (withNode ? " (head and local node)" : " (head)") + ".");
        System.out.println("  status     " + f.httpUrl() + "/  (sign in with the token of the client file)");
        System.out.println("  REST API   " + f.httpUrl() + "/api  (" + f.httpUrl() + "/api/openapi.json)");
        System.out.println("  broker     " + f.brokerUrl() + " (CORE)  " + f.amqpUrl() + "  " + f.stompUrl());
        if (f.headCertificate() != null) {
            System.out.println("  TLS        every client port and the status page, with the head's certificate"
                    + " (headCertificate of the client file; nothing else is trusted)");
        }
        System.out.println("  data       " + dataDir);
        System.out.println("  client     " + dataDir.resolve(ClientFile.CLIENT_FILE)
                + "  (export CADRE_CONFIG=" + dataDir.resolve(ClientFile.CLIENT_FILE) + ")");
        ClientFile nodeFile = ClientFile.read(dataDir.resolve(ClientFile.NODE_FILE));
        System.out.println("  nodes      TLS port " + nodeFile.nodePort() + "; on each machine: cadre node --config "
                + dataDir.resolve(ClientFile.NODE_FILE) + " (a copy of it)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Jobs reach the other nodes through the broker the node itself joined, with the node file's exec account. */
    private static RemoteExec remoteExec(ClientFile creds, String server, String mpiChoice) {
        Credentials exec = creds.execCredentials();
        if (exec == null) {
            System.err.println("cadre node: the node file has no exec account (a head older than this node?);"
                    + " MPI jobs will not reach other nodes");
            return null;
        }
        Optional<MpiLauncher> mpi = MpiInstallation.find(mpiChoice);
        if (mpi.isEmpty() && !mpiChoice.equals(MpiInstallation.NONE)) {
            System.err.println("cadre node: no MPI installation found (--mpi " + mpiChoice + "); jobs of kind"
                    + " mpi will fail here, batch scripts that call mpirun are not affected");
        }
        return RemoteExec.fromEnvironment(new ExecAccess(server, exec.user(), exec.password()), mpi.orElse(null));
    }

    static int node(List<String> args, String config) throws Exception {
        LongOptions o = new LongOptions(args, NODE_OPTIONS, Set.of());
        String mpiChoice = o.get("mpi", MpiInstallation.AUTO);
        if (!MpiInstallation.CHOICES.contains(mpiChoice)) {
            throw new LongOptions.UsageException("--mpi must be auto, openmpi, mpich or none, not '" + mpiChoice
                    + "'");
        }
        ProcessTracking.Mode tracking = DaemonOptions.processTracking(o);
        String hostname = DaemonOptions.nodeHostname(o, NodeIdentity.hostname());
        Duration rediscoverAfter = DaemonOptions.rediscoverAfter(o, System.getenv());
        Path nodeFile = ClientFile.locate(o.get("config", config), System.getenv(), ClientFile.NODE_FILE);
        ClientFile creds = ClientFile.read(nodeFile);
        String cluster = DaemonOptions.cluster(o);
        String server = o.get("server", null);
        Path state = Path.of(o.get("state-dir", ClientFile.defaultDataDir(System.getenv()).resolve("node").toString()));
        DirectoryLock stateLock;
        try {
            // Before joining a head: a node runs what this directory holds.
            PrivateDirectory.prepare(state, NodeIdentity.STATE_DIRECTORY, "--state-dir");
            // Held until the process exits: two nodes on one state directory would share an id and records.
            stateLock = DirectoryLock.take(state, "node state directory");
        } catch (PrivateDirectory.Refused | DirectoryLock.InUse e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
        Integer memory = o.integer("memory", null, 1, Integer.MAX_VALUE);
        NodeResources resources = NodeResources.detect(o.integer("cores", null, 1, 1 << 20),
                memory == null ? null : memory.longValue(), DaemonOptions.gpus(o));
        Duration heartbeat = Duration.ofMillis(o.integer("heartbeat", 2000, 50, 600_000));
        Duration killGrace = Duration.ofSeconds(o.integer("kill-grace", 10, 0, 3600));
        RuntimeDirectory runtime = RuntimeDirectory.choose(state, Optional.ofNullable(DaemonOptions.runtimeDir(o)));
        Duration memoryChecks = DaemonOptions.memoryChecks(o);
        CpuChoice.Mode cpuBinding = DaemonOptions.cpuBinding(o);
        // In the state directory, which is now the node's alone.
        HeadLink connect = HeadLink.of(creds, nodeFile, state);
        HeadFollower.Start start = (url, connection) -> new NodeRunner(connection, new NodeRunner.Settings(state,
                hostname, resources, heartbeat, killGrace, cluster, remoteExec(creds, connect.wireUrl(url),
                mpiChoice), runtime, tracking, memoryChecks, cpuBinding),
                Clock.systemUTC()).start();
        AutoCloseable node;
        String joined;
        String nodeId;
        try {
            if (server != null) {
                Connection connection = connect.open(server, "given by --server");
                HeadFollower.Joined fixed;
                try {
                    fixed = new HeadFollower.Joined(server, connection, start.start(server, connection));
                } catch (Exception | Error e) {
                    connection.close();
                    throw e;
                }
                node = fixed::close;
                joined = server;
                nodeId = fixed.runner().nodeId();
            } else {
                HeadFollower follower = HeadFollower.join(rediscoverAfter, discovery(o, cluster,
                        new LastHead(state)), connect, start);
                node = follower;
                joined = follower.joined().url();
                nodeId = follower.joined().runner().nodeId();
            }
        } catch (JMSException e) {
            throw new JoinFailure(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                stateLock.close();
            } catch (Exception e) {
                System.err.println("cadre node: error while stopping: " + e);
            }
            stopped.countDown();
        }, "cadre-shutdown"));
        System.out.println("Cadre node " + nodeId + " joined " + joined + ".");
        if (connect.pinned()) {
            System.out.println("  over TLS to the node port of node.json, the head's certificate checked");
        }
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** A node that could not join its head: the message names the URL and where it came from, nothing more. */
    static final class JoinFailure extends Exception {
        JoinFailure(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** @param configured null to choose one */
    private static InetAddress mdnsAddress(String configured) throws Exception {
        try {
            return LocalNetwork.mdnsAddress(configured);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new LongOptions.UsageException(e.getMessage());
        }
    }

    /** Browses for the heads of the cluster; each browse prints what it looks for and what it found. */
    private static HeadFollower.Browse discovery(LongOptions o, String cluster, LastHead last) throws Exception {
        Duration wait = Duration.ofSeconds(o.integer("discovery-wait", 15, 1, 3600));
        String configured = o.get("mdns-address", null);
        mdnsAddress(configured);
        return () -> {
            // Chosen again each time: the node's own address may have changed too.
            InetAddress address = mdnsAddress(configured);
            System.out.println("Looking for the head of cluster '" + cluster + "' over mDNS on "
                    + address.getHostAddress() + " (up to " + wait.toSeconds() + " s)...");
            System.out.flush();
            try {
                List<HeadSightings.Sighting> heads = HeadDiscovery.find(address, cluster, wait, DISCOVERY_WINDOW, last);
                System.out.println("Found the head at " + heads.get(0).head().brokerUrl() + " over mDNS"
                        + (heads.size() > 1 ? " (and " + (heads.size() - 1) + " more heads of the cluster)" : "")
                        + ".");
                return heads;
            } catch (HeadDiscovery.HeadNotFoundException e) {
                throw new LongOptions.UsageException(e.getMessage());
            }
        };
    }
}
