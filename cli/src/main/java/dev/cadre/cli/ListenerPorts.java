package dev.cadre.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The head's listening ports (REST, CORE, CORE over TLS for nodes, AMQP, STOMP), tried before the head makes anything. Artemis only logs an
 * acceptor that cannot bind, with a stack trace each, and by then the broker's journal and the head's secrets exist;
 * a second head on ports in use (two users' default ports on one machine) is instead refused in one line that names
 * each port and the option that sets it.
 */
final class ListenerPorts {
    /** @param number 0 lets the system choose, and is not tried */
    record Port(String option, int number) {
    }

    /** One or more of the ports cannot be listened on. */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    private ListenerPorts() {
    }

    /** The ports of a head with these options, each with the option that sets it. */
    static List<Port> of(Head.Options o) {
        return List.of(new Port("--http-port", o.httpPort()), new Port("--broker-port", o.brokerPort()),
                new Port("--node-port", o.nodePort()), new Port("--amqp-port", o.amqpPort()),
                new Port("--stomp-port", o.stompPort()));
    }

    /**
     * Refuses two listeners given the same port, which the probe below cannot see (each port is free on its own)
     * and the broker would find only after the data directory and its secrets were made.
     *
     * @throws LongOptions.UsageException naming both options and the port
     */
    static void checkDistinct(List<Port> ports) throws LongOptions.UsageException {
        for (int i = 0; i < ports.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (ports.get(i).number() != 0 && ports.get(i).number() == ports.get(j).number()) {
                    throw new LongOptions.UsageException(ports.get(j).option() + " and " + ports.get(i).option()
                            + " are both " + ports.get(i).number() + ": each listener needs a port of its own");
                }
            }
        }
    }

    /**
     * Binds each port on the host for a moment, as the listeners will (address reuse on, so that connections of a
     * head that just stopped do not count).
     *
     * @param host the bind address as the listeners take it (an IPv6 one in brackets)
     * @throws Unavailable naming every port that cannot be had, why, and its option
     */
    static void checkFree(String host, List<Port> ports) throws Unavailable {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            // The listeners report a name that does not resolve themselves.
            return;
        }
        List<String> problems = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (Port p : ports) {
            if (p.number() == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(address, p.number()), 1);
            } catch (IOException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                problems.add("port " + p.number() + " (" + p.option() + "): " + why);
                options.add(p.option());
            }
        }
        if (!problems.isEmpty()) {
            throw new Unavailable("cannot listen on " + host + ", " + String.join("; ", problems)
                    + (problems.size() == 1 ? "; another program (another Cadre?) may hold it: stop that, or give"
                    + " this head another port with " + options.get(0) : "; other programs (another Cadre?) may hold"
                    + " them: stop those, or give this head other ports with " + String.join(", ", options)));
        }
    }
}
