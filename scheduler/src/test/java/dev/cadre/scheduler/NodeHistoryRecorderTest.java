package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.Database;
import dev.cadre.db.NodeHistory;
import dev.cadre.db.NodeHistory.Event;
import dev.cadre.db.NodeHistory.Status;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.MutableClock;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerCore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's decisions on a node (registration, drain, resume, heartbeat timeout, deletion) written to a real SQLite
 * file as its accounting history, a row per change and none per heartbeat; and a head started again over the file.
 */
class NodeHistoryRecorderTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T);

    /** A head: its core and the recorder, over the file. */
    private final class Head {
        final SchedulerCore core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10),
                (id, a) -> "t");
        final NodeStore nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        final NodeHistoryRecorder recorder = new NodeHistoryRecorder(nodes.history(), clock);

        void apply(Decisions d) {
            d.nodes().forEach(nodes::upsert);
            d.forgotten().forEach(n -> nodes.delete(n.id()));
            recorder.record(d, Runnable::run);
        }

        void heartbeat() {
            apply(core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of(), 4, 1024, 0, List.of(),
                    clock.instant())));
        }

        /** Ticks once a second, as the scheduler's loop does. */
        void tick(int seconds) {
            for (int i = 0; i < seconds; i++) {
                clock.advance(Duration.ofSeconds(1));
                apply(core.tick());
            }
        }
    }

    private List<Event> history() {
        return new NodeStore(Database.open(dir.resolve("cadre.db"))).history().between(Instant.EPOCH,
                T.plusSeconds(86_400));
    }

    private static Event event(long at, Status status, String reason, String user) {
        return new Event("n1", "host1", T.plusSeconds(at), status, 4, reason, user);
    }

    @Test
    void aDrainAResumeAndAHeartbeatTimeoutEachMakeARowAndHeartbeatsNone() {
        Head head = new Head();
        head.heartbeat();
        head.tick(2);
        head.heartbeat();
        head.apply(head.core.nodeControl().drain(new ControlRequest.DrainNode("host1", "disk swap", "root"))
                .decisions());
        head.tick(2);
        head.heartbeat();
        head.apply(head.core.nodeControl().resume(new ControlRequest.ResumeNode("host1", "root")).decisions());
        head.tick(12);
        assertEquals(List.of(event(0, Status.UP, null, null), event(2, Status.DRAINED, "disk swap", "root"),
                event(4, Status.UP, null, null), event(15, Status.DOWN, "Not responding", null)), history());
    }

    @Test
    void aHeadStartedAgainWritesNothingForANodeBackAsItWasAndRecordsOneThatStaysAwayDown() {
        Head first = new Head();
        first.heartbeat();
        first.tick(12);
        first.apply(first.core.nodeControl().delete(new ControlRequest.DeleteNode("host1", "root")).decisions());
        first.heartbeat();
        clock.advance(Duration.between(clock.instant(), T.plusSeconds(3600)));
        Head second = new Head();
        second.apply(second.core.recover(List.of(), second.nodes.list(), 0));
        second.heartbeat();
        second.tick(5);
        assertEquals(List.of(event(0, Status.UP, null, null), event(11, Status.DOWN, "Not responding", null),
                event(12, Status.REMOVED, null, null), event(12, Status.UP, null, null)), history(),
                "the head's hour away is the node's UP time");

        clock.advance(Duration.between(clock.instant(), T.plusSeconds(7200)));
        Head third = new Head();
        third.apply(third.core.recover(List.of(), third.nodes.list(), 0));
        third.tick(12);
        assertEquals(5, history().size());
        assertEquals(event(7211, Status.DOWN, "Not responding", null), history().get(4),
                "a node that does not come back has a whole timeout, then is DOWN");
    }
}
