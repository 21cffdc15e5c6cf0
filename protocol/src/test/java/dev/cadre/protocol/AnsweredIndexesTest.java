package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** Answers name task sets far longer than a request's list may be, and must read back as they were sent. */
class AnsweredIndexesTest {
    /** 10,000 ids 2 to 5 apart, in no pattern a range could hold: over 50,000 characters. */
    private static final ArrayIndexes LONG = ArrayIndexes.ofSorted(new Random(1).ints(10_000, 2, 6)
            .map(new IntUnaryOperator() {
                private int last;

                @Override
                public int applyAsInt(int gap) {
                    last += gap;
                    return last;
                }
            }).toArray());

    @Test
    void aControlResultWithLongSetsReadsBack() throws ProtocolException {
        assertTrue(LONG.toString().length() > ArrayIndexes.MAX_REQUEST_TEXT);
        var sent = new ClientReply.ControlResult(12, true, JobState.PENDING, null, LONG, LONG, LONG,
                List.of(new ClientReply.ControlResult.Refused(LONG, JobState.RUNNING, "job 12 is RUNNING", 3)),
                Map.of("missing", 7));
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent), ClientReply.class));
    }

    @Test
    void aCancelResultWithLongSetsReadsBack() throws ProtocolException {
        var sent = new ClientReply.CancelResult(12, true, JobState.CANCELLED, null, LONG, LONG, LONG,
                Map.of("ended", 900_000));
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent), ClientReply.class));
    }

    @Test
    void aRequestsListStaysBounded() {
        String json = "{\"type\":\"hold-job\",\"jobId\":12,\"tasks\":\"" + LONG + "\",\"admin\":false}";
        var e = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode(json, ClientRequest.class));
        assertTrue(e.getMessage().contains("longer than 10000 characters"), e.getMessage());
    }

    @Test
    void anAnsweredSetThatIsNoSetIsRefused() {
        String json = "{\"type\":\"control-result\",\"jobId\":12,\"ok\":true,\"changed\":\"1-x\"}";
        var e = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode(json, ClientReply.class));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
    }
}
