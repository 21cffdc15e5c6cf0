package dev.cadre.broker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

/**
 * How many network connections the head holds at once, so that no client, logged in or not, can take the file
 * descriptors that SQLite, the journal, Jetty, the logs and the jobs of the local node need: every socket is one.
 * The client listeners (CORE, AMQP, STOMP) share {@link #clients()}, the node listener has {@link #nodes()} of its own
 * (a flood of the client ports leaves nodes joining), and Jetty has {@link #web()}. Together they stay well below the
 * process's limit of open files, a quarter of which (at least {@link #RESERVED_FILES}) is kept for everything else.
 *
 * @param fileLimit the process's limit of open files these were derived from
 * @param clients connections the three client listeners hold together: half on CORE (the Slurm commands, Java
 *        clients), a quarter each on AMQP and STOMP, so that a flood of one protocol leaves the others be
 * @param nodes connections the node listener holds (a node-runner holds one, plus one per exec relay)
 * @param web connections Jetty holds (REST and the status page)
 * @param loginDeadline how long a connection may take from its accept to its login before it is closed
 */
public record ConnectionBounds(long fileLimit, int clients, int nodes, int web, Duration loginDeadline) {
    /** Overrides the derived {@link #clients()}. */
    public static final String CLIENT_CONNECTIONS_ENV = "CADRE_BROKER_CLIENT_CONNECTIONS";
    /** Overrides the derived {@link #nodes()}. */
    public static final String NODE_CONNECTIONS_ENV = "CADRE_BROKER_NODE_CONNECTIONS";
    /** Files kept at least for what is not a network connection: jars, SQLite, the journal, logs, jobs' pipes. */
    public static final int RESERVED_FILES = 512;
    /** Artemis' own handshake timeout: every Cadre client logs in at once, and a TLS handshake on a busy head fits. */
    public static final Duration LOGIN_DEADLINE = Duration.ofSeconds(10);
    /** Assumed where the JVM cannot say (not a Unix). */
    static final long UNKNOWN_FILE_LIMIT = 4096;
    static final int MIN_CLIENTS = 3;
    private static final int MAX_CLIENTS = 8192;
    private static final int MAX_NODES = 2048;
    private static final int MAX_WEB = 2000;
    private static final int LEAST = 8;

    public ConnectionBounds {
        if (clients < MIN_CLIENTS || nodes < 1 || web < 1) {
            throw new IllegalArgumentException("the head needs at least " + MIN_CLIENTS + " client connections (one"
                    + " per listener), 1 node connection and 1 web connection, not " + clients + ", " + nodes + " and "
                    + web);
        }
        if (loginDeadline == null || loginDeadline.toMillis() < 100) {
            throw new IllegalArgumentException("the login deadline must be at least 100 ms, not " + loginDeadline);
        }
    }

    /**
     * The bounds for a process that may open {@code fileLimit} files: a quarter of it, at least
     * {@link #RESERVED_FILES}, kept back; of the rest half for clients, an eighth for nodes and a quarter for the web
     * server, each within a fixed ceiling (more connections than that cost memory, not just files).
     */
    public static ConnectionBounds derive(long fileLimit) {
        long spare = Math.max(0, fileLimit - Math.max(RESERVED_FILES, fileLimit / 4));
        return new ConnectionBounds(fileLimit, share(spare / 2, MAX_CLIENTS), share(spare / 8, MAX_NODES),
                share(spare / 4, MAX_WEB), LOGIN_DEADLINE);
    }

    private static int share(long n, int most) {
        return (int) Math.max(LEAST, Math.min(most, n));
    }

    /**
     * {@link #derive} for this process, with {@link #NODE_CONNECTIONS_ENV} and {@link #CLIENT_CONNECTIONS_ENV} instead
     * of the derived node and client figures when set (blank: derived). A node share given larger than the derived
     * one leaves the derived client share what remains, at least {@link #MIN_CLIENTS}; a smaller one leaves it be.
     *
     * @throws IllegalArgumentException naming the variable, the values it takes and the value given
     */
    public static ConnectionBounds fromEnvironment(Map<String, String> env, long fileLimit) {
        ConnectionBounds d = derive(fileLimit);
        // Under the reserve derive still grants its least shares: counting them as what the limit leaves lets a
        // variable set to derive's own figure start the head, and a smaller node share not shrink the clients'.
        long spare = Math.max(fileLimit - Math.max(RESERVED_FILES, fileLimit / 4),
                (long) d.clients() + d.nodes() + d.web());
        Long givenNodes = given(env, NODE_CONNECTIONS_ENV, 1, spare - MIN_CLIENTS - d.web(), fileLimit);
        int nodes = givenNodes == null ? d.nodes() : givenNodes.intValue();
        long most = spare - nodes - d.web();
        Long givenClients = given(env, CLIENT_CONNECTIONS_ENV, MIN_CLIENTS, most, fileLimit);
        int clients = givenClients != null ? givenClients.intValue() : (int) Math.min(d.clients(), most);
        return new ConnectionBounds(fileLimit, clients, nodes, d.web(), d.loginDeadline());
    }

    /** The variable's number, null when unset or blank; refused outside least..most. */
    private static Long given(Map<String, String> env, String name, long least, long most, long fileLimit) {
        String given = env.get(name);
        if (given == null || given.isBlank()) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < least || n > most) {
            throw new IllegalArgumentException(name + " must be a whole number from " + least + " to " + most
                    + " (this process may open " + fileLimit + " files; the rest is kept for the other listeners,"
                    + " the web server, SQLite, the journal and logs), not '" + given + "'");
        }
        return n;
    }

    /** {@link #fromEnvironment} with this process's environment and limit of open files. */
    public static ConnectionBounds forThisProcess() {
        return fromEnvironment(System.getenv(), processFileLimit());
    }

    /** The soft limit of open files of this process ({@code ulimit -n}), or {@link #UNKNOWN_FILE_LIMIT}. */
    public static long processFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long limit = os.getMaxFileDescriptorCount();
            if (limit > 0) {
                return limit;
            }
        }
        return UNKNOWN_FILE_LIMIT;
    }

    public int coreConnections() {
        return Math.max(1, clients / 2);
    }

    public int amqpConnections() {
        return Math.max(1, (clients - coreConnections()) / 2);
    }

    public int stompConnections() {
        return clients - coreConnections() - amqpConnections();
    }

    /** For the start's log line. */
    public String describe() {
        return "client connections " + clients + " (core " + coreConnections() + ", amqp " + amqpConnections()
                + ", stomp " + stompConnections() + "; " + CLIENT_CONNECTIONS_ENV + "), node connections " + nodes
                + " (" + NODE_CONNECTIONS_ENV + "), web connections " + web + ", of " + fileLimit
                + " open files; a connection not logged in after "
                + BrokerLimits.describe(loginDeadline) + " is closed";
    }
}
