package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A STOMP 1.2 client written from docs/protocol.md alone (section 11.3), on a plain socket, against the scheduler on a
 * real broker: the reply-to form the section gives, request bodies sent as bytes up to the 1 MiB limit, and the
 * minimal submit-job of section 5.1 on a head that knows no node and no job.
 */
class StompClientIntegrationTest {
    private static final Path SPEC = Path.of("..", "docs", "protocol.md");
    @TempDir
    Path dir;
    SchedulerOnBroker head;

    @BeforeEach
    void start() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
        head.scheduler().start();
    }

    @AfterEach
    void stop() throws Exception {
        head.close();
    }

    @Test
    void theDocumentedReplyToBringsTheReplyOnStomp12() throws Exception {
        String body = "{\"version\":1,\"type\":\"cancel-job\",\"jobId\":424242}";
        var reply = assertInstanceOf(ClientReply.CancelResult.class, request(body.getBytes(StandardCharsets.UTF_8),
                false));
        assertEquals(424242, reply.jobId());
    }

    @Test
    void bytesBodiesUpToTheLimitAreReadFromTheirFirstByte() throws Exception {
        ClientReply reply = request(submitJobs(200 << 10, 200), true);
        var batch = assertInstanceOf(ClientReply.JobsSubmitted.class, reply, reply::toString);
        assertTrue(batch.results().size() > 300, "a batch of " + batch.results().size());
        batch.results().forEach(r -> assertInstanceOf(ClientReply.JobAccepted.class, r));

        byte[] nearLimit = submitJobs(MessageCodec.MAX_BYTES - 4096, 4000);
        assertTrue(nearLimit.length > MessageCodec.MAX_BYTES - 8192 && nearLimit.length <= MessageCodec.MAX_BYTES,
                "just under 1 MiB: " + nearLimit.length);
        reply = request(nearLimit, true);
        var big = assertInstanceOf(ClientReply.JobsSubmitted.class, reply, reply::toString);
        big.results().forEach(r -> assertInstanceOf(ClientReply.JobAccepted.class, r));
    }

    @Test
    void theMinimalSubmitJobExampleIsAcceptedOnAnEmptyHead() throws Exception {
        String section = between(Files.readString(SPEC), "### 5.1. submit-job", "### 5.2.");
        Matcher blocks = Pattern.compile("```json\n(.*?)\n```", Pattern.DOTALL).matcher(section);
        assertTrue(blocks.find() && blocks.find(), "5.1 quotes a second, minimal example");
        var accepted = assertInstanceOf(ClientReply.JobAccepted.class,
                request(blocks.group(1).getBytes(StandardCharsets.UTF_8), false));
        assertTrue(accepted.jobId() > 0);
    }

    /**
     * Sends a request as section 11.3 says, with reply-to written as the section writes it, and returns the reply
     * that comes back to the client's own reply address.
     */
    private ClientReply request(byte[] body, boolean asBytes) throws Exception {
        String name = "cadre.reply." + UUID.randomUUID();
        String correlation = "c-" + UUID.randomUUID();
        try (RawStomp stomp = new RawStomp(head.broker().stompPort(), head.users().submitter())) {
            RawStomp.Frame subscribed = stomp.subscribe("/topic/" + name);
            assertEquals("RECEIPT", subscribed.command(), subscribed::toString);
            RawStomp.Frame receipt = stomp.send("/queue/" + Destinations.SUBMIT, "persistent:true\ncorrelation-id:"
                    + correlation + "\n" + documentedReplyTo(name) + "\n", body, asBytes);
            assertEquals("RECEIPT", receipt.command(), receipt::toString);
            RawStomp.Frame reply = stomp.read();
            assertEquals("MESSAGE", reply.command(), reply::toString);
            assertEquals(correlation, reply.headers().get("correlation-id"));
            return MessageCodec.decode(reply.body(), ClientReply.class);
        }
    }

    /** The reply-to header line of section 11.3, for the reply address name. */
    private static String documentedReplyTo(String name) throws Exception {
        String section = between(Files.readString(SPEC), "### 11.3.", "## 12.");
        Matcher header = Pattern.compile("`(reply-to:[^`]*<random>[^`]*)`").matcher(section);
        assertTrue(header.find(), "11.3 shows the reply-to header");
        return header.group(1).replace("cadre.reply.<random>", name);
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertTrue(start >= 0, from);
        return text.substring(start, text.indexOf(to, start));
    }

    /** A submit-jobs of at most about size bytes, each job's script carrying filler characters. */
    private static byte[] submitJobs(int size, int filler) {
        StringBuilder json = new StringBuilder("{\"version\":1,\"type\":\"submit-jobs\",\"jobs\":[");
        for (int i = 0; ; i++) {
            String job = (i == 0 ? "" : ",") + "{\"submissionId\":\"s-" + i + "\",\"spec\":{\"name\":\"j-" + i
                    + "\",\"user\":\"alice\",\"script\":\"#!/bin/sh\\n# " + "x".repeat(filler) + "\\ntrue\\n\","
                    + "\"workDir\":\"/tmp\"}}";
            if (json.length() + job.length() + 2 > size) {
                return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            }
            json.append(job);
        }
    }
}
