package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a reservation request says on its own is checked before the scheduler looks, each problem naming its field. */
class ReservationValidatorTest {
    private static final Instant T = Instant.parse("2026-11-24T02:00:00Z");

    private static List<String> fields(ReservationRequest r) {
        return ReservationValidator.validate(r).stream().map(JobSpecValidator.Problem::field).toList();
    }

    private static ReservationRequest.CreateReservation create(String name, Instant start, Instant end,
            Long seconds, String nodes, List<String> users, List<String> flags) {
        return new ReservationRequest.CreateReservation(name, start, end, seconds, nodes, users, flags, "root", true);
    }

    private static ReservationRequest.CreateReservation counted(int count) {
        return new ReservationRequest.CreateReservation("x", T, null, 60L, null, count, List.of("a"),
                List.of("DAILY"), "root", true);
    }

    private static ReservationRequest.UpdateReservation change(List<String> addUsers, String removeNodes,
            List<String> addFlags, List<String> removeFlags) {
        return new ReservationRequest.UpdateReservation("x", null, null, null, null, null, addUsers, null, null,
                removeNodes, addFlags, removeFlags, "root", true);
    }

    @Test
    void aGoodCreateHasNoProblem() {
        assertEquals(List.of(), fields(create("maint", T, null, 3600L, "n[1-2]", List.of("root"),
                List.of("MAINT", "IGNORE_JOBS"))));
        assertEquals(List.of(), fields(create("all", T, T.plusSeconds(60), 60L, "ALL", List.of("alice"), null)));
    }

    @Test
    void eachBadFieldIsNamed() {
        assertEquals(List.of("name"), fields(create("-x", T, null, 60L, "n1", List.of("a"), null)));
        assertEquals(List.of("startTime"), fields(create("x", null, T, null, "n1", List.of("a"), null)));
        assertEquals(List.of("endTime"), fields(create("x", T, null, null, "n1", List.of("a"), null)));
        assertEquals(List.of("endTime"), fields(create("x", T, T, null, "n1", List.of("a"), null)));
        assertEquals(List.of("durationSeconds"), fields(create("x", T, T.plusSeconds(5), 6L, "n1", List.of("a"),
                null)));
        assertEquals(List.of("durationSeconds"), fields(create("x", T, null, 0L, "n1", List.of("a"), null)));
        assertEquals(List.of("nodes"), fields(create("x", T, null, 60L, "n[1-", List.of("a"), null)));
        assertEquals(List.of("nodes"), fields(create("x", T, null, 60L, "bad_host", List.of("a"), null)));
        assertEquals(List.of("users"), fields(create("x", T, null, 60L, "n1", List.of(), null)));
        assertEquals(List.of("users"), fields(create("x", T, null, 60L, "n1", Arrays.asList("a", null), null)));
        assertEquals(List.of("flags"), fields(create("x", T, null, 60L, "n1", List.of("a"), List.of("FLEX"))));
        assertEquals(List.of("nodes"), fields(create("x", T, null, 60L, null, List.of("a"), null)));
        assertEquals(List.of("nodeCount"), fields(counted(0)));
        assertEquals(List.of("nodeCount"), fields(counted(100_001)));
        assertEquals(List.of("nodeCount"), fields(new ReservationRequest.CreateReservation("x", T, null, 60L, "n1", 2,
                List.of("a"), null, "root", true)));
        assertEquals(List.of(), fields(counted(3)));
        assertEquals(List.of("removeNodes", "addUsers", "addFlags", "removeFlags"), fields(change(List.of(),
                "n[1-", List.of("SPEC_NODES"), List.of("OVERLAP"))));
        assertEquals(List.of("removeFlags"), fields(change(null, null, null, List.of())));
        assertEquals(List.of(), fields(change(List.of("bob"), "n2", List.of("DAILY", "MAINT"), List.of("WEEKLY"))));
        assertEquals(List.of("name"), fields(new ReservationRequest.UpdateReservation("x", null, null, null, null,
                null, "root", true)));
        assertEquals(List.of("users"), fields(new ReservationRequest.UpdateReservation("x", null, null, null, null,
                List.of(), "root", true)));
        assertTrue(ReservationValidator.validate(new ReservationRequest.DeleteReservation("x", "r\u202Eoot", true))
                .stream().anyMatch(p -> p.field().equals("user")));
    }

    @Test
    void aReservationIsActiveFromItsStartUpToItsEndAndAdmitsItsUsersAndRoot() {
        AdvanceReservation r = new AdvanceReservation("r", T, T.plusSeconds(60), List.of("n1"), List.of("alice"),
                List.of("SPEC_NODES", "MAINT"));
        assertEquals(List.of("MAINT", "SPEC_NODES"), r.flags(), "Slurm's order");
        assertTrue(r.activeAt(T));
        assertFalse(r.activeAt(T.plusSeconds(60)));
        assertTrue(r.endedBy(T.plusSeconds(60)));
        assertTrue(r.overlaps(T.minusSeconds(10), T.plusSeconds(1)));
        assertFalse(r.overlaps(T.minusSeconds(10), T));
        assertTrue(r.admits("alice") && r.admits("root"));
        assertFalse(r.admits("bob"));
    }
}
