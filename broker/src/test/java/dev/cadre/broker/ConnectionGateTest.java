package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket's slot comes back exactly once, from its close or, when Netty closed it forcibly without
 * completing its close future, from its login deadline; and a closed socket's deadline is cancelled at once, not kept
 * scheduled (holding the socket) until it would have fired. The gate sits on an embedded server channel whose clock is
 * frozen, and is handed embedded child channels as a listener's accepts.
 */
class ConnectionGateTest {
    private static final Duration LOGIN_DEADLINE = Duration.ofSeconds(1);

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /**
     * A listener holding one socket. No broker behind it: the gate asks the broker only about a socket still open at
     * its deadline, and none here is.
     */
    private EmbeddedChannel listener() {
        EmbeddedChannel listener = channel();
        listener.freezeTime();
        listener.pipeline().addLast(new ConnectionGate("test", 1, "the test's", LOGIN_DEADLINE, null));
        return listener;
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel c = new EmbeddedChannel();
        channels.add(c);
        return c;
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** Whether the gate passed the socket on to the listener's next handler, and left it open. */
    private static boolean accepts(EmbeddedChannel listener, Channel socket) {
        listener.writeInbound(socket);
        Object passed = listener.readInbound();
        assertEquals(passed == socket, socket.isOpen(), "a socket passed on stays open, a refused one is closed");
        return passed == socket;
    }

    private static void pastTheDeadline(EmbeddedChannel listener) {
        listener.advanceTimeBy(LOGIN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
    }

    /**
     * A socket the listener took and then closed as Netty closes a socket it fails to register: shut, with a close
     * future that does not complete.
     */
    private EmbeddedChannel acceptedThenClosedForcibly(EmbeddedChannel listener) {
        EmbeddedChannel forced = channel();
        assertTrue(accepts(listener, forced));
        forced.unsafe().closeForcibly();
        assertFalse(forced.isOpen());
        assertFalse(forced.closeFuture().isDone());
        return forced;
    }

    @Test
    void aSocketClosedForciblyGivesItsSlotBackAtItsLoginDeadline() {
        EmbeddedChannel listener = listener();
        acceptedThenClosedForcibly(listener);
        assertFalse(accepts(listener, channel()), "until the deadline, the forcibly closed socket holds the slot");

        pastTheDeadline(listener);
        assertTrue(accepts(listener, channel()), "the deadline gave the forcibly closed socket's slot back");
    }

    @Test
    void aSocketWhoseDeadlineAndCloseBothComeGivesItsSlotBackOnce() {
        EmbeddedChannel listener = listener();
        EmbeddedChannel forced = acceptedThenClosedForcibly(listener);
        pastTheDeadline(listener);

        // Its close completing later must not give the slot back a second time, which would make room for two.
        forced.close();
        assertTrue(forced.closeFuture().isDone());
        assertTrue(accepts(listener, channel()));
        assertFalse(accepts(listener, channel()), "one slot, taken");
    }

    @Test
    void aClosedSocketsDeadlineIsCancelledAtItsClose() {
        EmbeddedChannel listener = listener();
        EmbeddedChannel socket = channel();
        assertTrue(accepts(listener, socket));
        assertEquals(LOGIN_DEADLINE.toNanos(), listener.runScheduledPendingTasks(), "the socket's deadline is next");

        socket.close();
        // What is left is the gate's own summary, every 10 s; a deadline still scheduled would come at 1 s.
        long next = listener.runScheduledPendingTasks();
        assertTrue(next > LOGIN_DEADLINE.toNanos(), "the closed socket's deadline is no longer scheduled; the next"
                + " task is " + Duration.ofNanos(next) + " away");
        assertTrue(accepts(listener, channel()), "its close gave the slot back");
    }
}
