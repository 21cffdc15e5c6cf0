package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.FairShareStore;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.FairShareSettings;
import dev.cadre.scheduler.core.SchedulerSettings;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fair share on a real scheduler, broker and SQLite file, the test playing a one-core node: ann's job runs and is
 * charged to her; then her next job and bob's wait, hers submitted first. With a fair-share weight bob's starts
 * first; at weight 0 (the default) hers does, as before. Her usage is in cadre.db for the next head.
 */
class FairShareIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void aLightUserPassesAHeavyOneWhenTheWeightIsSet() throws Exception {
        assertEquals("bob", nextStartedAfterAnnsRun(100_000));
    }

    @Test
    void atWeightZeroTheOrderIsTheSubmissionOrder() throws Exception {
        assertEquals("ann", nextStartedAfterAnnsRun(0));
    }

    /** Whose job starts when ann's first one ends, with this weight; ann's usage checked in the store after. */
    private String nextStartedAfterAnnsRun(long weight) throws Exception {
        SchedulerSettings scheduling = SchedulerSettings.defaults(Duration.ofSeconds(30))
                .withFairShare(new FairShareSettings(weight, Duration.ofDays(7), Duration.ofHours(1)));
        String started;
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, new SchedulerService.Settings(scheduling,
                Duration.ofMillis(200), 500, "secret", e -> { }), Clock.systemUTC(), jdbi -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            SchedulerOnBroker.PlayedNode node = head.startWithNode(c, "n1");
            node.send(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of("10.0.0.1"), 1, 4096, 0, List.of(),
                    Instant.now()));

            Instant begun = Instant.now();
            head.scheduler().admit(List.of(job("heavy", "ann")));
            NodeCommand.PlaceJob heavy = placed(node.commands());
            node.send(new RunnerEvent.RunnerRunning(heavy.jobId(), heavy.attempt(), "n1", Instant.now()));
            FairShareStore store = head.jobs().fairShare();
            await(() -> store.cpuSeconds(begun, Instant.now()).getOrDefault("ann", 0.0) >= 1.0,
                    "a CPU-second of ann's job held");
            head.scheduler().admit(List.of(job("ann-next", "ann")));
            head.scheduler().admit(List.of(job("bob-first", "bob")));
            head.scheduler().chargeFairShare();
            FairShare shares = new FairShare(weight, store.read().usage());
            assertTrue(shares.usage().get("ann") >= 1.0, "ann is charged what her job held: " + shares);
            assertEquals(0.0, shares.usage().get("bob"), "bob, who only queued, shares with nothing used");

            node.send(new RunnerEvent.RunnerFinished(heavy.jobId(), heavy.attempt(), "n1", 0, 0, null, Instant.now(),
                    null, null));
            started = placed(node.commands()).spec().user();
        }
        JobStore reopened = new JobStore(Database.open(dir.resolve("cadre.db")));
        FairShareStore.Charged kept = reopened.fairShare().read();
        assertTrue(kept.usage().get("ann") >= 1.0, "kept for the next head: " + kept);
        assertEquals(weight, kept.weight());
        assertNotNull(kept.chargedUntil());
        return started;
    }

    private static JobStore.NewJob job(String name, String user) {
        return new JobStore.NewJob(name, JobSpec.builder().name(name).user(user).script("#!/bin/sh\nsleep 60\n")
                .workDir("/tmp").tasks(1).build(), Instant.now(), "None");
    }

    private static NodeCommand.PlaceJob placed(MessageConsumer commands) throws Exception {
        TextMessage m = (TextMessage) commands.receive(10_000);
        assertNotNull(m, "no place-job within 10 s");
        Message decoded = MessageCodec.decode(m.getText());
        if (decoded instanceof NodeCommand.PlaceJobs many) {
            assertEquals(1, many.placements().size(), "one core: one job at a time");
            return many.placements().get(0);
        }
        return assertInstanceOf(NodeCommand.PlaceJob.class, decoded);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 20 s");
            }
            LockSupport.parkNanos(20_000_000);
        }
    }
}
