package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A STOMP frame past the broker's limit closes its connection before the broker has read it whole: announced by its
 * content-length or streamed without one. The broker, and a client connected meanwhile, go on.
 */
class StompFrameSizeTest {
    private static final int HUGE = 200 << 20;
    @TempDir
    Path dir;

    @Test
    void aHugeFrameClosesItsConnectionAndTheBrokerGoesOn() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                users)).start();
                Connection admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "frame-test");
                StompFrames bystander = new StompFrames(broker.stompPort(), users.submitter())) {
            Session s = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer submissions = s.createConsumer(s.createQueue(Destinations.SUBMIT));

            try (StompFrames announced = new StompFrames(broker.stompPort(), users.submitter())) {
                announced.send("SEND\ndestination:/queue/" + Destinations.SUBMIT + "\npersistent:true\nreceipt:1\n"
                        + "content-length:" + HUGE + "\n");
                String answer = announced.read();
                assertTrue(answer.startsWith("ERROR") && answer.contains("content-length is larger")
                        && answer.contains(String.valueOf(BrokerLimits.MAX_STOMP_FRAME_BYTES)), answer);
                assertThrows(IOException.class, announced::read, "the connection is closed");
            }

            long sent = 0;
            try (Socket raw = new Socket("127.0.0.1", broker.stompPort())) {
                OutputStream out = raw.getOutputStream();
                out.write(("CONNECT\naccept-version:1.2\nhost:cadre\nlogin:" + users.submitter().user()
                        + "\npasscode:" + users.submitter().password() + "\n\n\0SEND\ndestination:/queue/"
                        + Destinations.SUBMIT + "\npersistent:true\n\n").getBytes(StandardCharsets.UTF_8));
                byte[] chunk = new byte[1 << 20];
                Arrays.fill(chunk, (byte) 'x');
                try {
                    while (sent < HUGE) {
                        out.write(chunk);
                        sent += chunk.length;
                    }
                    out.write(0);
                    out.flush();
                } catch (IOException closed) {
                    // What the broker does to a frame past the limit.
                }
            }
            // Socket buffers take a few MiB beyond what the broker read before it closed the connection.
            assertTrue(sent < 64L << 20, "the broker took " + sent + " bytes of one frame");

            String answer = bystander.sendPersistent(Destinations.SUBMIT, "", "{\"type\":\"x\"}".getBytes(
                    StandardCharsets.UTF_8));
            assertTrue(answer.startsWith("RECEIPT"), "a client connected before goes on: " + answer);
            try (StompFrames after = new StompFrames(broker.stompPort(), users.submitter())) {
                String receipt = after.sendPersistent(Destinations.SUBMIT, "", "{}".getBytes(StandardCharsets.UTF_8));
                assertTrue(receipt.startsWith("RECEIPT"), "a new client is served: " + receipt);
            }
            assertNotNull(submissions.receive(10_000), "the first submission is stored");
            assertNotNull(submissions.receive(10_000), "the second submission is stored");
        }
    }
}
