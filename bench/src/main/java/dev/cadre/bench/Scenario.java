package dev.cadre.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured run: a protocol, how many concurrent clients, how many submissions each may have unanswered,
 * and how many travel in one message. Named on the command line as {@code jms-4} (four clients, full window,
 * one submit-job per job), {@code jms-4x100} (the same with 100 jobs per submit-jobs message) or
 * {@code amqp-idle} (one client, one submission at a time).
 */
record Scenario(String name, ClientProtocol protocol, int clients, int window, int jobs, int perMessage) {

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
                throw new IllegalArgumentException("scenario '" + name + "' must look like jms-1, amqp-4, jms-4x100 or jms-idle");
            }
            ClientProtocol protocol = ClientProtocol.named(name.substring(0, dash));
            String shape = name.substring(dash + 1);
            if (shape.equals("idle")) {
                out.add(new Scenario(name, protocol, 1, 1, idleJobs, 1));
                continue;
            }
            int perMessage = 1;
            int x = shape.indexOf('x');
            if (x >= 0) {
                perMessage = count(name, shape.substring(x + 1), "jobs per message", 2, 1000);
                shape = shape.substring(0, x);
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
            out.add(new Scenario(name, protocol, clients, Math.max(window, perMessage), jobs, perMessage));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no scenario given");
        }
        return out;
    }

    private static int count(String scenario, String text, String what, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("scenario '" + scenario + "': " + what + " must be between " + min
                + " and " + max + ", not '" + text + "'");
    }

    /** This client's share of the jobs; the first clients take the remainder. */
    int jobsOfClient(int client) {
        return jobs / clients + (client < jobs % clients ? 1 : 0);
    }
}
