package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a STOMP frame ends, as the broker reads it, and which frames are too large. */
class StompFrameLimitTest {
    private static final int LIMIT = 100;

    @Test
    void framesWithinTheLimitPassHoweverManyWithHeartBeatsAndBodiesHoldingNul() {
        StompFrameLimit limit = new StompFrameLimit(LIMIT);
        String body = "a\0b\0c" + "x".repeat(40);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(-1, feed(limit, "\n\r\nSEND\r\ndestination:/queue/q\r\ncontent-length:" + body.length()
                    + "\r\n\r\n" + body + "\0"));
            assertEquals(-1, feed(limit, "SEND\ndestination:/queue/q\n\n" + "y".repeat(60) + "\0\n"));
        }
        assertNull(limit.refusal());
    }

    @Test
    void aContentLengthPastTheLimitIsRefusedBeforeItsBodyArrives() {
        StompFrameLimit limit = new StompFrameLimit(LIMIT);
        String headers = "SEND\ndestination:/queue/q\ncontent-length:209715200";
        assertTrue(feed(limit, headers) >= 0, "refused on reading the number");
        assertEquals(headers.indexOf("209") + 2, feed(new StompFrameLimit(LIMIT), headers),
                "refused at the digit that passes the limit");
        assertTrue(limit.refusal().contains("content-length is larger than the 100 bytes"), limit.refusal());
        assertEquals(0, feed(limit, "\n\n"), "and stays refused");
    }

    @Test
    void theLargestContentLengthCountsWhicheverTheBrokerTakes() {
        StompFrameLimit limit = new StompFrameLimit(LIMIT);
        assertEquals(-1, feed(limit, "SEND\ncontent-length:10\ncontent-length: 80\n\n" + "z".repeat(10)));
        // The broker may take the first: the bytes after it still count towards the frame the limit follows.
        int at = feed(limit, "\0SEND\n\n" + "w".repeat(LIMIT));
        assertTrue(at > 0, "refused at " + at);
    }

    @Test
    void aBodyWithoutLengthOrEndIsRefusedAtTheLimit() {
        StompFrameLimit limit = new StompFrameLimit(LIMIT);
        String frame = "SEND\ndestination:/queue/q\n\n" + "b".repeat(LIMIT);
        int at = feed(limit, frame);
        assertEquals(LIMIT, at, "the byte past the limit is refused");
        assertTrue(limit.refusal().contains("larger than the 100 bytes"), limit.refusal());
    }

    @Test
    void headersAloneCountAndAMissingTerminatorDoesNotEndTheFrame() {
        StompFrameLimit headers = new StompFrameLimit(LIMIT);
        assertTrue(feed(headers, "SEND\nh:" + "\0".repeat(LIMIT)) >= 0, "NUL inside headers ends nothing");
        StompFrameLimit unterminated = new StompFrameLimit(LIMIT);
        assertEquals(-1, feed(unterminated, "SEND\ncontent-length:5\n\nabcde"));
        assertTrue(feed(unterminated, "X".repeat(LIMIT)) >= 0, "bytes after the body count until a NUL");
    }

    /** The index of the refused byte, or -1 when every byte was taken. */
    private static int feed(StompFrameLimit limit, String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            if (!limit.next(b[i])) {
                return i;
            }
        }
        return -1;
    }
}
