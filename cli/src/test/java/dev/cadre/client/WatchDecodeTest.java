package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

/**
 * Events as a watch reads them, with the cli's logging (slf4j-simple to stderr, as 'cadre watch' shows it): a type
 * this client does not know is skipped without a word, as protocol.md 8.2 asks of receivers; garbage is named.
 */
class WatchDecodeTest {
    @Test
    void aNewerHeadsEventTypeIsSkippedQuietlyAndAnUnreadableEventIsNamed() throws Exception {
        String quiet = stderrOf(() -> assertNull(Watch.decode(text("{\"type\":\"job-teleported\",\"jobId\":5}"))));
        assertEquals("", quiet);
        String named = stderrOf(() -> assertNull(Watch.decode(text("{\"type\":"))));
        assertTrue(named.contains("WARN") && named.contains("skipped an unreadable job event"), named);
    }

    /** Artemis' own text message, made as a consumer receives one, without a session. */
    private static TextMessage text(String body) {
        ActiveMQTextMessage m = new ActiveMQTextMessage(new ClientMessageImpl(ActiveMQTextMessage.TYPE, true, 0,
                System.currentTimeMillis(), (byte) 4, 1024), null);
        try {
            m.clearBody(); // a received message is read-only
            m.setText(body);
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
        return m;
    }

    private static String stderrOf(Runnable r) {
        PrintStream before = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(before);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
