package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * scontrol update JobId=N ReservationName=NAME, as slurmctld's _update_job takes it: a pending or running job moves
 * into a reservation that admits its user, or out of its own with ""; the name it has already changes nothing; an
 * unknown name, a user it does not admit and a job neither pending nor running are refused, changing nothing. A
 * running job keeps its nodes; moved in, its time limit is cut to the reservation's end, as a job started there has.
 */
class ReservationMoveTest {
    private static JobControl.Outcome<ClientReply.ControlResult> move(CoreScenario s, long job, String reservation) {
        var outcome = s.core.control().update(new ControlRequest.UpdateJob(job, null, null, null, null, null, null,
                null, null, null, null, null, null, null, reservation));
        s.apply(outcome.decisions());
        return outcome;
    }

    private static void refused(JobControl.Outcome<ClientReply.ControlResult> outcome, String reason) {
        assertFalse(outcome.result().ok());
        assertEquals(reason, outcome.result().reason());
        assertTrue(outcome.decisions().isEmpty(), "nothing changes");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aPendingJobMovesIntoAReservationThatAdmitsItsUserAndOutAgain(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        AdvanceReservationTest.create(s, "later", Duration.ofHours(1), Duration.ofHours(2), "n1", List.of("alice"));
        AdvanceReservationTest.create(s, "bobs", Duration.ofHours(4), Duration.ofHours(1), "n1", List.of("bob"));
        long job = s.submit(CoreScenario.spec().beginTime(s.in(Duration.ofMinutes(1))));

        assertTrue(move(s, job, "later").result().ok());
        assertEquals("later", s.job(job).spec().reservation());
        s.clock.advance(Duration.ofMinutes(2));
        s.schedule();
        assertEquals("Reservation", s.job(job).reason(), "it waits for its new reservation to begin");

        var again = move(s, job, "later");
        assertTrue(again.result().ok(), "the name it has already is no change");
        assertTrue(again.decisions().isEmpty());

        refused(move(s, job, "nope"), "reservation: no reservation is named nope");
        refused(move(s, job, "bobs"), "reservation: reservation bobs does not admit user alice");
        refused(move(s, job, "bad name"), "reservation: is 'bad name'; it must be 1 to 63 letters, digits, '_', '.'"
                + " or '-', starting with a letter or digit");
        assertEquals("later", s.job(job).spec().reservation());

        assertTrue(move(s, job, "").result().ok());
        assertNull(s.job(job).spec().reservation(), "\"\" takes it out of its reservation");
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(job).state(), "it runs outside any reservation");
        assertTrue(move(s, job, "").decisions().isEmpty(), "\"\" for a job in none changes nothing");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aRunningJobMovedInHasItsLimitCutToTheReservationsEndAndKeepsItOut(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        long job = s.submit(CoreScenario.spec().timeLimitSeconds(7200L));
        s.schedule();
        JobRecord running = s.job(job);
        assertEquals(JobState.RUNNING, running.state());
        AdvanceReservationTest.create(s, "now", Duration.ZERO, Duration.ofMinutes(40), "n1", List.of("alice"),
                "IGNORE_JOBS");
        s.clock.advance(Duration.ofMinutes(10));

        var moved = move(s, job, "now");
        assertTrue(moved.result().ok(), moved.result().toString());
        assertEquals(JobState.RUNNING, moved.result().state());
        assertEquals("now", s.job(job).spec().reservation());
        assertEquals(40 * 60L, s.job(job).spec().timeLimitSeconds(), "it may run until the reservation ends");
        assertEquals(List.of(new NodeCommand.SetTimeLimit(job, running.attempt(), 40 * 60L)), moved.decisions()
                .messages().stream().map(o -> o.message()).toList());
        assertEquals(running.allocation(), s.job(job).allocation(), "it keeps its nodes");

        assertTrue(move(s, job, "").result().ok());
        assertNull(s.job(job).spec().reservation());
        assertEquals(40 * 60L, s.job(job).spec().timeLimitSeconds(), "taken out, it keeps its limit, as in Slurm");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobNeitherPendingNorRunningKeepsItsReservation(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        AdvanceReservationTest.create(s, "r", Duration.ofHours(1), Duration.ofHours(1), "n1", List.of("alice"));
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        s.confirm(job);
        assertTrue(s.suspend(job).result().ok());

        refused(move(s, job, "r"), "reservation: job " + job + " is SUSPENDED; only a pending or running job changes"
                + " its reservation");
        var same = move(s, job, "");
        assertTrue(same.result().ok(), "the reservation it has (none) is no change, whatever its state");
    }
}
