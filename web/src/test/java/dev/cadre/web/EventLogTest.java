package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events a client reconnecting with Last-Event-ID is given, or why it must read the state again. */
class EventLogTest {
    private static List<Long> replayed(EventLog.Since since) {
        return assertInstanceOf(EventLog.Replay.class, since).entries().stream().map(EventLog.Entry::seq).toList();
    }

    private static String reason(EventLog.Since since) {
        return assertInstanceOf(EventLog.Reset.class, since).reason();
    }

    @Test
    void aClientGetsWhatCameAfterItsLastEvent() {
        EventLog log = new EventLog("e1", 5);
        assertEquals("e1-0", log.lastId());
        assertEquals(List.of(), replayed(log.since(null)), "a new client starts now");
        for (int i = 0; i < 3; i++) {
            log.append("job", "{}", (long) i);
        }
        assertEquals("e1-3", log.lastId());
        assertEquals(List.of(2L, 3L), replayed(log.since("e1-1")));
        assertEquals(List.of(1L, 2L, 3L), replayed(log.since("e1-0")), "from before the first event");
        assertEquals(List.of(), replayed(log.since("e1-3")), "up to date");
    }

    @Test
    void anIdTooOldFromAnotherStartOrUnknownIsAReset() {
        EventLog log = new EventLog("e2", 3);
        for (int i = 0; i < 10; i++) {
            log.append("node", "{}", null);
        }
        assertEquals(List.of(8L, 9L, 10L), replayed(log.since("e2-7")), "the oldest kept is 8");
        assertTrue(reason(log.since("e2-6")).contains("older than the 3 events kept"));
        assertTrue(reason(log.since("e1-9")).contains("restarted"));
        assertTrue(reason(log.since("e2-11")).contains("never sent"));
        assertTrue(reason(log.since("garbage")).contains("not an event id"));
        assertTrue(reason(log.since("e2-x")).contains("not an event id"));
    }
}
