package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Advance reservations in the core, with a fake clock: a maintenance window keeps off the jobs that would still run
 * when it begins ("ReqNodeNotAvail, Reserved for maintenance"), a job with --reservation waits for it to begin
 * ("Reservation"), then runs on its nodes alone and no longer than its end; every policy alike.
 */
class AdvanceReservationTest {
    static ClientReply.ReservationResult create(CoreScenario s, String name, Duration in, Duration lasting,
            String nodes, List<String> users, String... flags) {
        var o = s.core.judge(new ReservationRequest.CreateReservation(name, s.in(in), null, lasting.toSeconds(),
                nodes, users, List.of(flags), "root", true));
        s.core.reservations().apply(o);
        return o.reply();
    }

    /** What the head's shell does each pass: reservations that have ended are deleted. */
    static void expire(CoreScenario s) {
        s.core.reservations().ended(s.clock.instant()).forEach(r -> s.core.reservations().forget(r.name()));
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aMaintenanceWindowKeepsOffJobsThatWouldStillRunWhenItBegins(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        assertTrue(create(s, "maint", Duration.ofHours(1), Duration.ofHours(4), "n[1-2]", List.of("root"),
                "MAINT").ok());
        // The short one first: under first come, first served the long one then holds up every job behind it.
        long shortJob = s.submit(CoreScenario.spec().timeLimitSeconds(1800L));
        long longJob = s.submit(CoreScenario.spec().timeLimitSeconds(7200L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(longJob).state(), "two hours would run into the window");
        assertEquals("ReqNodeNotAvail, Reserved for maintenance", s.job(longJob).reason());
        assertEquals(JobState.RUNNING, s.job(shortJob).state(), "half an hour ends before it");

        s.finish(shortJob, 0);
        s.clock.advance(Duration.ofMinutes(61));
        long tiny = s.submit(CoreScenario.spec().timeLimitSeconds(60L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(tiny).state(), "during the window nothing starts there");

        s.clock.advance(Duration.ofHours(4));
        expire(s);
        assertTrue(s.core.reservations().list().isEmpty(), "an ended reservation is deleted");
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(longJob).state());
        assertEquals(JobState.RUNNING, s.job(tiny).state());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobInAReservationWaitsForItThenRunsOnItsNodesUntilItsEnd(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        s.node("n3", 4);
        assertTrue(create(s, "alice_day", Duration.ofHours(2), Duration.ofDays(1), "n3", List.of("alice")).ok());
        long inside = s.submit(CoreScenario.spec().reservation("alice_day").timeLimitSeconds(null).nodes(1));
        s.schedule();
        assertEquals("Reservation", s.job(inside).reason());

        s.clock.advance(Duration.ofHours(2));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(inside).state());
        assertEquals("n3", s.job(inside).allocation().hostnames());
        assertEquals(Duration.ofDays(1).toSeconds(), s.job(inside).spec().timeLimitSeconds(),
                "it runs no longer than the reservation");

        // Room on n3 is the reservation's: a job of alice without it goes to n1 or n2.
        long outside = s.submit(CoreScenario.spec().user("alice").tasks(1));
        s.schedule();
        assertFalse(s.job(outside).allocation().hostnames().contains("n3"));
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobThatFitsOnlyOnReservedNodesWaitsForRoomNotForMaintenance(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        assertTrue(create(s, "bob", Duration.ZERO, Duration.ofHours(1), "n1", List.of("bob")).ok());
        long id = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.PENDING, s.job(id).state());
        assertEquals("Resources", s.job(id).reason(), "kept by a reservation that is no maintenance");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobWhoseReservationIsDeletedWaitsSayingSo(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        create(s, "r", Duration.ofHours(1), Duration.ofHours(1), "n1", List.of("alice"));
        long id = s.submit(CoreScenario.spec().reservation("r"));
        var deleted = s.core.judge(new ReservationRequest.DeleteReservation("r", "root", true));
        s.core.reservations().apply(deleted);
        assertTrue(deleted.reply().ok());
        s.clock.advance(Duration.ofHours(1));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(id).state());
        assertEquals("ReservationDeleted", s.job(id).reason());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aForecastPlansAJobOutsideAReservationAfterItsWindow(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        create(s, "maint", Duration.ofMinutes(10), Duration.ofHours(2), "n1", List.of("root"), "MAINT");
        long id = s.submit(CoreScenario.spec().timeLimitSeconds(3600L));
        s.schedule();
        var start = s.core.forecast().stream().filter(f -> f.jobId() == id).findFirst().orElseThrow();
        assertFalse(start.at().isBefore(s.in(Duration.ofMinutes(130))), "planned at " + start.at());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aMaintenanceWindowOnAllNodesLetsTheFirstWaitingJobKeepItsPlaceAfterIt(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 2);
        create(s, "maint", Duration.ZERO, Duration.ofHours(1), "ALL", List.of("root"), "MAINT", "IGNORE_JOBS");
        long big = s.submit(CoreScenario.spec().tasks(2).timeLimitSeconds(3600L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(big).state());
        s.clock.advance(Duration.ofHours(1));
        expire(s);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(big).state());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aSubmissionToAReservationIsRefusedAsSlurmRefusesIt(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        create(s, "alice_day", Duration.ofHours(1), Duration.ofDays(1), "n1", List.of("alice", "carol"));
        assertEquals(RejectionCode.RESERVATION_ACCESS, s.core.refusal(CoreScenario.spec().user("bob")
                .reservation("alice_day").build()).orElseThrow().code());
        assertEquals(RejectionCode.INVALID_RESERVATION, s.core.refusal(CoreScenario.spec()
                .reservation("nope").build()).orElseThrow().code());
        assertTrue(s.core.refusal(CoreScenario.spec().user("carol").reservation("alice_day").build()).isEmpty());
        assertTrue(s.core.refusal(CoreScenario.spec().user("root").reservation("alice_day").build()).isEmpty(),
                "root has every reservation");
    }

    @ParameterizedTest
    @EnumSource(value = PlacementPolicy.Kind.class, names = "EASY")
    void requestsAreJudgedAsSlurmctldJudgesThem(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        long running = s.submit(CoreScenario.spec().timeLimitSeconds(7200L).nodelist(List.of("n2")));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(running).state());

        var denied = s.core.judge(new ReservationRequest.CreateReservation("x", s.in(Duration.ZERO), null, 60L, "n1",
                List.of("alice"), null, "alice", false));
        assertEquals(ReservationRefusal.ACCESS_DENIED, denied.reply().code());
        assertNull(denied.stored());
        assertEquals(ReservationRefusal.INVALID_NODE, create(s, "x", Duration.ZERO, Duration.ofHours(1), "n9",
                List.of("alice")).code());
        assertEquals(ReservationRefusal.INVALID_TIME, create(s, "x", Duration.ofMinutes(-11), Duration.ofHours(1),
                "n1", List.of("alice")).code());
        assertEquals(ReservationRefusal.NODES_BUSY, create(s, "x", Duration.ofHours(1), Duration.ofHours(1), "n2",
                List.of("alice")).code(), "the running job's limit ends in two hours");
        assertTrue(create(s, "later", Duration.ofHours(2), Duration.ofHours(1), "n2", List.of("alice")).ok(),
                "from its end on the node is free");
        assertTrue(create(s, "x", Duration.ofHours(1), Duration.ofHours(1), "n[1-2]", List.of("alice"),
                "IGNORE_JOBS").ok());
        assertEquals(ReservationRefusal.DUPLICATE_NAME, create(s, "x", Duration.ofHours(5), Duration.ofHours(1),
                "n1", List.of("alice")).code());
        assertEquals(ReservationRefusal.OVERLAP, create(s, "y", Duration.ofMinutes(90), Duration.ofHours(1), "n1",
                List.of("bob")).code());
        assertTrue(create(s, "y", Duration.ofMinutes(90), Duration.ofHours(1), "n1", List.of("bob"), "OVERLAP")
                .ok());
        assertTrue(create(s, "m", Duration.ofMinutes(90), Duration.ofHours(1), "n1", List.of("root"), "MAINT")
                .ok(), "maintenance may overlap");
        AdvanceReservation x = s.core.reservations().list().stream().filter(r -> r.name().equals("x"))
                .findFirst().orElseThrow();
        assertEquals(List.of("IGNORE_JOBS", "SPEC_NODES"), x.flags());
        assertEquals(List.of("n1", "n2"), x.nodes());
    }

    @ParameterizedTest
    @EnumSource(value = PlacementPolicy.Kind.class, names = "EASY")
    void anUpdateChangesWhatItNamesAndADeleteWaitsForTheJobsInIt(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        create(s, "r", Duration.ZERO, Duration.ofHours(1), "n1", List.of("alice"));
        var o = s.core.judge(new ReservationRequest.UpdateReservation("r", null, null, 7200L, "n2",
                List.of("alice", "bob"), "root", true));
        assertTrue(o.reply().ok(), o.reply().reason());
        s.core.reservations().apply(o);
        AdvanceReservation r = s.core.reservations().list().get(0);
        assertEquals(s.in(Duration.ofHours(2)), r.endTime());
        assertEquals(List.of("n2"), r.nodes());
        assertEquals(List.of("alice", "bob"), r.users());

        long in = s.submit(CoreScenario.spec().user("bob").reservation("r"));
        s.schedule();
        assertEquals("n2", s.job(in).allocation().hostnames());
        var busy = s.core.judge(new ReservationRequest.DeleteReservation("r", "root", true));
        assertEquals(ReservationRefusal.IN_USE, busy.reply().code());
        assertNull(busy.deleted());
        s.finish(in, 0);
        assertTrue(s.core.judge(new ReservationRequest.DeleteReservation("r", "root", true)).reply().ok());
        assertEquals(ReservationRefusal.NOT_FOUND, s.core.judge(new ReservationRequest.DeleteReservation("gone",
                "root", true)).reply().code());
    }
}
