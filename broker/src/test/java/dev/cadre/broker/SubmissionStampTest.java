package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A STOMP sender sets no message id, so the scheduler keys such a submission on the id the broker stamps on it:
 * the id must be the broker's (a sender cannot pick it) and stay the same when the message is delivered again,
 * after a rollback and after a restart of the broker from its journal.
 */
class SubmissionStampTest {
    private static final long WAIT_MS = 10_000;
    @TempDir
    Path dir;

    @Test
    void aSubmissionKeepsTheBrokersIdThroughRedeliveryAndARestart() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        EmbeddedBroker.Settings settings = new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users);
        String stamp;
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start()) {
            stompSend(broker.stompPort(), users.submitter(), Destinations.SUBMIT, "forged-by-the-sender");
            try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "stamp-test")) {
                c.start();
                Session session = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.SUBMIT));
                Message first = consumer.receive(WAIT_MS);
                assertNotNull(first, "the STOMP submission arrives");
                stamp = first.getStringProperty(SubmissionStamp.PROPERTY);
                assertNotNull(stamp, "the broker stamped it");
                assertNotEquals("forged-by-the-sender", stamp, "the sender's own value is overwritten");
                session.rollback();
                Message again = consumer.receive(WAIT_MS);
                assertNotNull(again, "redelivered after the rollback");
                assertEquals(stamp, again.getStringProperty(SubmissionStamp.PROPERTY));
                session.rollback();
            }
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start();
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "stamp-test")) {
            c.start();
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            Message restored = session.createConsumer(session.createQueue(Destinations.SUBMIT)).receive(WAIT_MS);
            assertNotNull(restored, "the submission is still there after the restart");
            assertEquals(stamp, restored.getStringProperty(SubmissionStamp.PROPERTY), "and keeps its id");
            session.commit();
        }
    }

    /** One STOMP SEND with a receipt, so that the message is stored when this returns. */
    private static void stompSend(int port, Credentials who, String queue, String forgedStamp) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(frame("CONNECT\naccept-version:1.2\nhost:cadre\nlogin:" + who.user() + "\npasscode:"
                    + who.password() + "\n\n"));
            assertTrue(readFrame(in).startsWith("CONNECTED"), "STOMP connected");
            out.write(frame("SEND\ndestination:/queue/" + queue + "\npersistent:true\ncontent-type:application/json\n"
                    + SubmissionStamp.PROPERTY + ":" + forgedStamp + "\nreceipt:1\n\n{\"type\":\"submit-job\"}"));
            String receipt = readFrame(in);
            assertTrue(receipt.startsWith("RECEIPT"), receipt);
        }
    }

    private static byte[] frame(String text) {
        return (text + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static String readFrame(InputStream in) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int b = in.read(); b != 0; b = in.read()) {
            if (b < 0) {
                throw new AssertionError("the broker closed the connection after: " + text);
            }
            text.append((char) b);
        }
        return text.toString().stripLeading();
    }
}
