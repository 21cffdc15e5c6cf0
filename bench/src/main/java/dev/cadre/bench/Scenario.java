package dev.cadre.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured run: a protocol, how many concurrent clients, and how many submissions each may have
 * unanswered. Named on the command line as {@code jms-4} (four clients, full window) or {@code amqp-idle}
 * (one client, one submission at a time).
 */
record Scenario(String name, ClientProtocol protocol, int clients, int window, int jobs) {

    boolean closedLoop() {
        return window == 1;
    }

    static List<Scenario> parse(String list, int jobs, int window, int idleJobs) {
        List<Scenario> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            int dash = name.indexOf('-');
            if (dash < 0) {
                throw new IllegalArgumentException("scenario '" + name + "' must look like jms-1, amqp-4 or jms-idle");
            }
            ClientProtocol protocol = ClientProtocol.named(name.substring(0, dash));
            String shape = name.substring(dash + 1);
            if (shape.equals("idle")) {
                out.add(new Scenario(name, protocol, 1, 1, idleJobs));
                continue;
            }
            int clients;
            try {
                clients = Integer.parseInt(shape);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scenario '" + name + "': '" + shape
                        + "' is neither a client count nor 'idle'");
            }
            if (clients < 1 || clients > 64) {
                throw new IllegalArgumentException("scenario '" + name + "': between 1 and 64 clients");
            }
            out.add(new Scenario(name, protocol, clients, window, jobs));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no scenario given");
        }
        return out;
    }

    /** This client's share of the jobs; the first clients take the remainder. */
    int jobsOfClient(int client) {
        return jobs / clients + (client < jobs % clients ? 1 : 0);
    }
}
