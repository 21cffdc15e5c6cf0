/*
 * Prints Cadre's job events (the multicast address cadre.events) over plain JMS 3.1, one JSON object a line.
 * Only jakarta.jms and Artemis' JMS client, which a build puts in cli/target/lib.
 *
 *   java -cp 'cli/target/lib/*' examples/jms/JmsWatch.java --config ~/.cadre/client.json --job 42 --until-terminal
 *   java -cp 'cli/target/lib/*' examples/jms/JmsWatch.java --config ~/.cadre/client.json --job-user alice \
 *       --durable alice-jobs
 *
 * Options: --config FILE, --url, --user, --password; --job N | --job-user NAME | --selector EXPR (a JMS
 * selector over the properties jobId, user, state, type); --durable NAME [--client-id ID] for a durable
 * subscription, which keeps events while you are away and hands them over when you come back with the
 * same client id, name and selector; --subscribe-only (create it and leave); --until-terminal (exit
 * after the first event in a terminal state); --seconds N (stop after N seconds).
 * Exit code: 0, or 1 when anything fails.
 */
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

public class JmsWatch {
    static final Set<String> FLAGS = Set.of("subscribe-only", "until-terminal");
    static final List<String> TERMINAL = List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "OUT_OF_MEMORY", "DEADLINE");

    public static void main(String[] argv) {
        try {
            watch(options(argv));
        } catch (IllegalArgumentException | IOException | JMSException e) {
            System.err.println("JmsWatch: " + e.getMessage());
            System.exit(1);
        }
    }

    static void watch(Map<String, String> o) throws JMSException {
        String selector = o.containsKey("job") ? "jobId = " + Long.parseLong(o.get("job"))
                : o.containsKey("job-user") ? "user = '" + o.get("job-user").replace("'", "''") + "'"
                : o.get("selector");
        String durable = o.get("durable");
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(o.get("url"));
        try (factory; Connection connection = factory.createConnection(o.get("user"), o.get("password"))) {
            if (durable != null) {
                // The broker names the subscription's queue "<client id>.<name>".
                connection.setClientID(o.getOrDefault("client-id", "cadre-watch-" + durable));
            }
            // Acknowledged one by one after printing: a crash in between redelivers instead of losing.
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic events = session.createTopic("cadre.events");
            MessageConsumer consumer = durable != null ? session.createDurableConsumer(events, durable, selector, false)
                    : session.createConsumer(events, selector);
            System.err.println("subscribed to cadre.events selector=" + selector + " durable=" + durable);
            if (o.containsKey("subscribe-only")) {
                return;
            }
            connection.start();
            long deadline = o.containsKey("seconds")
                    ? System.currentTimeMillis() + (long) (Double.parseDouble(o.get("seconds")) * 1000) : Long.MAX_VALUE;
            for (long left; (left = deadline - System.currentTimeMillis()) > 0; ) {
                Message m = consumer.receive(deadline == Long.MAX_VALUE ? 0 : left);
                if (m == null) {
                    break;
                }
                System.out.println(m instanceof TextMessage t ? t.getText() : m.toString());
                m.acknowledge();
                if (o.containsKey("until-terminal") && TERMINAL.contains(m.getStringProperty("state"))) {
                    break;
                }
            }
        }
    }

    /** --name value pairs and flags; --config FILE fills in url, user and password the command line leaves out. */
    static Map<String, String> options(String[] argv) throws IOException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String name = argv[i].startsWith("--") ? argv[i].substring(2) : "";
            if (FLAGS.contains(name)) {
                o.put(name, "true");
            } else if (name.isEmpty() || i + 1 == argv.length) {
                throw new IllegalArgumentException("expected --option value or a flag, got '" + argv[i] + "'");
            } else {
                o.put(name, argv[++i]);
            }
        }
        String config = o.getOrDefault("config", System.getenv("CADRE_CONFIG"));
        Matcher m = Pattern.compile("\"(brokerUrl|user|password)\"\\s*:\\s*\"([^\"\\\\]*)\"")
                .matcher(config == null ? "" : Files.readString(Path.of(config)));
        while (m.find()) {
            o.putIfAbsent(m.group(1).equals("brokerUrl") ? "url" : m.group(1), m.group(2));
        }
        for (String required : List.of("url", "user", "password")) {
            if (!o.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required (or --config client.json)");
            }
        }
        return o;
    }
}
