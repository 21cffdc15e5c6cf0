/*
 * Submits one job to Cadre over plain JMS 3.1 and prints the reply. Nothing here is Cadre code: only
 * jakarta.jms and Artemis' JMS client, which a build puts in cli/target/lib.
 *
 *   java -cp 'cli/target/lib/*' examples/jms/JmsSubmit.java --config ~/.cadre/client.json --command 'echo hi'
 *   java -cp 'cli/target/lib/*' examples/jms/JmsSubmit.java --url tcp://127.0.0.1:61616 --user U --password P \
 *       --submission-id nightly-2026-11-21 --script job.sh
 *
 * Options: --config FILE (client.json: brokerUrl, user, password), --url, --user, --password, --name,
 * --script FILE | --command CMD, --job-user (default: you), --workdir (default: here), --tasks N,
 * --submission-id ID, --correlation-id ID, --timeout SECONDS (default 30).
 * Exit code: 0 job-accepted, 2 job-rejected, 1 anything else.
 */
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

public class JmsSubmit {
    public static void main(String[] argv) {
        try {
            System.exit(submit(options(argv)));
        } catch (IllegalArgumentException | IOException | JMSException e) {
            System.err.println("JmsSubmit: " + e.getMessage());
            System.exit(1);
        }
    }

    static int submit(Map<String, String> o) throws IOException, JMSException {
        String correlationId = o.getOrDefault("correlation-id", UUID.randomUUID().toString());
        String body = submitJob(o);
        long timeoutMs = (long) (Double.parseDouble(o.getOrDefault("timeout", "30")) * 1000);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(required(o, "url"));
        try (factory; Connection connection = factory.createConnection(required(o, "user"), required(o, "password"))) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // A temporary queue lives as long as this connection: replies to nobody do not pile up.
            TemporaryQueue replyQueue = session.createTemporaryQueue();
            MessageConsumer replies = session.createConsumer(replyQueue);
            MessageProducer producer = session.createProducer(session.createQueue("cadre.submit"));
            // Persistent: send() returns once the broker has stored it, and a broker restart keeps it.
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage request = session.createTextMessage(body);
            request.setJMSReplyTo(replyQueue);
            request.setJMSCorrelationID(correlationId);
            producer.send(request);
            long deadline = System.currentTimeMillis() + timeoutMs;
            for (long left = timeoutMs; left > 0; left = deadline - System.currentTimeMillis()) {
                Message reply = replies.receive(left);
                if (reply instanceof TextMessage text && correlationId.equals(reply.getJMSCorrelationID())) {
                    System.out.println(text.getText());
                    String type = reply.getStringProperty("type");
                    return "job-accepted".equals(type) ? 0 : "job-rejected".equals(type) ? 2 : 1;
                }
            }
            System.err.println("JmsSubmit: no reply within " + timeoutMs / 1000.0 + " s");
            return 1;
        }
    }

    /** The submit-job message (docs/protocol.md, section 5.1). */
    static String submitJob(Map<String, String> o) throws IOException {
        String script;
        if (o.containsKey("script")) {
            script = Files.readString(Path.of(o.get("script")));
        } else {
            script = "#!/bin/sh\n" + required(o, "command") + "\n";
        }
        String workDir = Path.of(o.getOrDefault("workdir", "")).toAbsolutePath().normalize().toString();
        StringBuilder spec = new StringBuilder("{\"name\":").append(json(o.getOrDefault("name", "example")))
                .append(",\"user\":").append(json(o.getOrDefault("job-user", System.getProperty("user.name"))))
                .append(",\"script\":").append(json(script))
                .append(",\"workDir\":").append(json(workDir));
        if (o.containsKey("tasks")) {
            spec.append(",\"tasks\":").append(Integer.parseInt(o.get("tasks")));
        }
        String submissionId = o.getOrDefault("submission-id", UUID.randomUUID().toString());
        return "{\"version\":1,\"type\":\"submit-job\",\"submissionId\":" + json(submissionId)
                + ",\"spec\":" + spec + "}}";
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    /** --name value pairs; --config FILE fills in url, user and password that the command line leaves out. */
    static Map<String, String> options(String[] argv) throws IOException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 == argv.length) {
                throw new IllegalArgumentException("expected --option value, got '" + argv[i] + "'");
            }
            o.put(argv[i].substring(2), argv[i + 1]);
        }
        String config = o.getOrDefault("config", System.getenv("CADRE_CONFIG"));
        if (config != null) {
            // client.json is flat and its values are plain strings: a pattern reads it without a JSON library.
            Matcher m = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(Files.readString(Path.of(config)));
            while (m.find()) {
                o.putIfAbsent(m.group(1).equals("brokerUrl") ? "url" : m.group(1), m.group(2));
            }
        }
        return o;
    }

    static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required" + (name.equals("command")
                    ? " (or --script FILE)" : " (or --config client.json)"));
        }
        return v;
    }
}
