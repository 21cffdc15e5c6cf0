package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scontrol create and update reservation read as create_res.c reads them, and show reservation's record as Slurm 23's
 * slurm_sprint_reservation_info prints it.
 */
class ScontrolReservationTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static ScontrolReservation create(String... args) throws SlurmUsageException {
        return ScontrolReservation.create(List.of(args), NOW, UTC);
    }

    private static String refusal(String... args) {
        return assertThrows(SlurmUsageException.class, () -> create(args)).getMessage();
    }

    @Test
    void aMaintenanceWindowReadsAsScontrolReadsIt() throws Exception {
        ScontrolReservation r = create("reservation", "ReservationName=maint", "StartTime=now+2hours",
                "Duration=4:00:00", "Nodes=n[1-2]", "Users=root", "Flags=MAINT,ignore_jobs");
        assertEquals("maint", r.name());
        assertEquals(NOW.plusSeconds(7200), r.startTime());
        assertEquals(4 * 3600L, r.durationSeconds());
        assertEquals("n[1-2]", r.nodes());
        assertEquals(List.of("root"), r.users());
        assertEquals(List.of("MAINT", "IGNORE_JOBS"), r.flags());
        assertEquals(Map.of("name", "maint", "startTime", "2026-11-23T12:00:00Z", "durationSeconds", 14400L,
                "nodes", "n[1-2]", "users", List.of("root"), "flags", List.of("MAINT", "IGNORE_JOBS")), r.body());
    }

    @Test
    void tagsAreAnyPrefixFromTheirLeastLengthAndDurationsAreMinutesOrClockTimes() throws Exception {
        ScontrolReservation r = create("res", "R=day", "st=2026-11-24T09:00:00", "du=1-0", "nodes=n3", "u=alice,bob",
                "fl=o");
        assertEquals("day", r.name());
        assertEquals(Instant.parse("2026-11-24T09:00:00Z"), r.startTime());
        assertEquals(86400L, r.durationSeconds());
        assertEquals(List.of("alice", "bob"), r.users());
        assertEquals(List.of("OVERLAP"), r.flags());
        assertEquals(90 * 60L, create("R=x", "S=now", "D=90", "Nodes=ALL", "U=a").durationSeconds());
        assertEquals(AdvanceReservation.UNLIMITED_SECONDS, create("R=x", "S=now", "D=UNLIMITED", "Nodes=ALL", "U=a")
                .durationSeconds());
        assertEquals(NOW.plusSeconds(3600), create("R=x", "S=now", "E=now+1hour", "Nodes=ALL", "U=a").endTime());
    }

    @Test
    void badInputGetsScontrolsLines() {
        String created = "  No reservation created.";
        assertEquals("scontrol: error: A start time must be given." + created, refusal("R=x", "Nodes=n1", "U=a",
                "D=5"));
        assertEquals("scontrol: error: An end time or duration must be given." + created, refusal("R=x", "S=now",
                "Nodes=n1", "U=a"));
        assertEquals("scontrol: error: Invalid start time StartTime=soonish." + created, refusal("R=x",
                "StartTime=soonish", "D=5", "Nodes=n1", "U=a"));
        assertEquals("scontrol: error: Invalid duration Duration=x1." + created, refusal("R=x", "S=now",
                "Duration=x1", "Nodes=n1", "U=a"));
        assertEquals("scontrol: error: StartTime + Duration does not equal EndTime." + created, refusal("R=x",
                "S=now", "D=5", "E=now+1hour", "Nodes=n1", "U=a"));
        assertEquals("scontrol: error: Start time cannot be after end time." + created, refusal("R=x",
                "S=now+2hours", "E=now+1hour", "Nodes=n1", "U=a"));
        assertEquals("scontrol: error: Either Users or Accounts must be specified." + created, refusal("R=x",
                "S=now", "D=5", "Nodes=n1"));
        assertEquals("scontrol: error: Error parsing flags MAINT,bogus." + created, refusal("R=x", "S=now", "D=5",
                "Nodes=n1", "U=a", "Flags=MAINT,bogus"));
        assertEquals("scontrol: error: Unknown parameter Colour=red." + created, refusal("R=x", "Colour=red"));
        assertTrue(refusal("R=x", "S=now", "D=5", "Nodes=n1", "U=a", "Flags=FLEX")
                .startsWith("scontrol: error: Flags=FLEX is not supported by this Cadre version"));
        assertTrue(refusal("R=x", "S=now", "D=5", "Nodes=n1", "U=a", "Users+=bob").startsWith("scontrol: error:"
                + " +=, -= and a flag after \"-\" change an existing reservation"));
        assertEquals("scontrol: error: The +=/-= notation is not supported when updating StartTime." + created,
                refusal("R=x", "StartTime+=now"));
        assertEquals("scontrol: error: Invalid node count NodeCnt=two." + created, refusal("R=x", "S=now", "D=5",
                "NodeCnt=two", "U=a"));
        assertTrue(refusal("R=x", "S=now", "D=5", "Nodes=n1", "NodeCnt=1", "U=a").startsWith("scontrol: error:"
                + " give Nodes= or NodeCnt=, not both"));
        assertTrue(refusal("R=x", "Accounts=physics").startsWith("scontrol: error: Accounts= is not supported"));
        assertEquals("scontrol: error: Reservation must be given.  No reservation update.", assertThrows(
                SlurmUsageException.class, () -> ScontrolReservation.update(List.of("EndTime=now+1hour"), NOW, UTC))
                .getMessage());
    }

    @Test
    void recurringFlagsAndNodeCountsReadAsScontrolReadsThem() throws Exception {
        ScontrolReservation r = create("R=nightly", "S=now+1hour", "D=60", "NodeCnt=2", "U=root", "Flags=MAINT,da");
        assertEquals(Map.of("name", "nightly", "startTime", "2026-11-23T11:00:00Z", "durationSeconds", 3600L,
                "nodeCount", 2, "users", List.of("root"), "flags", List.of("MAINT", "DAILY")), r.body());
        assertEquals(List.of("WEEKDAY"), create("R=x", "S=now", "D=5", "NodeCount=1k", "U=a", "Flags+=weekd")
                .flags());
        assertEquals(1024, create("R=x", "S=now", "D=5", "NodeCount=1k", "U=a").nodeCount());
        assertEquals(List.of("NO_HOLD_JOBS_AFTER_END", "MAINT"), create("R=x", "S=now", "D=5", "Nodes=n1", "U=a",
                "Flags=no_hold_jobs_after,MAINT").flags(), "by any prefix");
        for (String f : List.of("HOURLY", "DAILY", "WEEKDAY", "WEEKEND", "WEEKLY")) {
            assertEquals(List.of(f), create("R=x", "S=now", "D=5", "Nodes=n1", "U=a", "Flags=" + f).flags());
        }
    }

    @Test
    void anUpdateAddsAndTakesAwayAsScontrolsPlusAndMinusDo() throws Exception {
        ScontrolReservation u = ScontrolReservation.update(List.of("ReservationName=x", "Users+=bob,carol",
                "Nodes-=n[3-4]", "Flags-=MAINT,DAILY", "Flags+=WEEKLY", "Flags=IGNORE_JOBS"), NOW, UTC);
        assertEquals(Map.of("name", "x", "addUsers", List.of("bob", "carol"), "removeNodes", "n[3-4]",
                "addFlags", List.of("WEEKLY", "IGNORE_JOBS"), "removeFlags", List.of("MAINT", "DAILY")), u.body());
        ScontrolReservation v = ScontrolReservation.update(List.of("R=x", "Users-=dave", "Nodes+=n5",
                "Flags=MAINT,-IGNORE_JOBS,DAILY"), NOW, UTC);
        assertEquals(Map.of("name", "x", "removeUsers", List.of("dave"), "addNodes", "n5", "addFlags",
                List.of("MAINT"), "removeFlags", List.of("IGNORE_JOBS", "DAILY")), v.body(), "a \"-\" holds for"
                + " the flags after it, as parse_resv_flags reads them");
        String updated = "  No reservation update.";
        assertEquals("scontrol: error: Error parsing flags OVERLAP." + updated, assertThrows(
                SlurmUsageException.class, () -> ScontrolReservation.update(List.of("R=x", "Flags-=OVERLAP"), NOW,
                        UTC)).getMessage());
        assertTrue(assertThrows(SlurmUsageException.class, () -> ScontrolReservation.update(List.of("R=x",
                "NodeCnt=3"), NOW, UTC)).getMessage().startsWith("scontrol: error: NodeCnt= in an update is not"
                + " supported"));
        assertEquals(Map.of("name", "x", "addFlags", List.of("NO_HOLD_JOBS_AFTER_END")), ScontrolReservation.update(
                List.of("R=x", "Flags=NO_HOLD_JOBS_AFTER"), NOW, UTC).body(), "any prefix, as parse_resv_flags");
        assertEquals("scontrol: error: Error parsing flags NO_HOLD_JOBS_AFTER_END." + updated, assertThrows(
                SlurmUsageException.class, () -> ScontrolReservation.update(List.of("R=x",
                        "Flags-=NO_HOLD_JOBS_AFTER_END"), NOW, UTC)).getMessage(), "it cannot be taken away");
    }

    @Test
    void anUpdateNamesItsReservation() throws Exception {
        assertTrue(ScontrolReservation.namesReservation(List.of("ReservationName=x", "Duration=60")));
        assertTrue(ScontrolReservation.namesReservation(List.of("Duration=60", "res=x")));
        assertFalse(ScontrolReservation.namesReservation(List.of("JobId=4", "TimeLimit=5")));
        assertFalse(ScontrolReservation.namesReservation(List.of("Res=maint", "JobId=4")), "a job's reservation");
        assertFalse(ScontrolReservation.namesReservation(List.of("jobid=4", "ReservationName=")));
        ScontrolReservation u = ScontrolReservation.update(List.of("ReservationName=x", "Users=carol",
                "EndTime=2026-11-24T00:00:00"), NOW, UTC);
        assertEquals(Map.of("name", "x", "users", List.of("carol"), "endTime", "2026-11-24T00:00:00Z"), u.body());
    }

    @Test
    void showPrintsSlurmsRecord() {
        AdvanceReservation r = new AdvanceReservation("maint", Instant.parse("2026-11-24T02:00:00Z"),
                Instant.parse("2026-11-24T06:00:00Z"), List.of("n1", "n2"), List.of("root"),
                List.of("SPEC_NODES", "MAINT"));
        assertEquals("""
                ReservationName=maint StartTime=2026-11-24T02:00:00 EndTime=2026-11-24T06:00:00 Duration=04:00:00
                   Nodes=n[1-2] NodeCnt=2 CoreCnt=8 Features=(null) PartitionName=(null) Flags=MAINT,SPEC_NODES
                   TRES=cpu=8
                   Users=root Groups=(null) Accounts=(null) Licenses=(null) State=INACTIVE BurstBuffer=(null)
                   MaxStartDelay=(null)

                """, ScontrolReservationFormat.render(r, Map.of("n1", 4, "n2", 4), NOW, UTC, false));
        String one = ScontrolReservationFormat.render(r, Map.of("n1", 4), Instant.parse("2026-11-24T03:00:00Z"),
                UTC, true);
        assertTrue(one.startsWith("ReservationName=maint StartTime=2026-11-24T02:00:00 "), one);
        assertTrue(one.contains(" CoreCnt=4 ") && one.contains(" State=ACTIVE ") && one.endsWith("(null)\n"), one);
        assertEquals(1, one.lines().count());
    }
}
