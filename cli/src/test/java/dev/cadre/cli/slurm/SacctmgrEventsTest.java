package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** sacctmgr's command line and show event's conditions, columns and lines, at a fixed now in UTC. */
class SacctmgrEventsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private static final Instant T = Instant.parse("2026-11-21T08:00:00Z");

    private static SacctmgrCommandLine parse(String... args) throws SlurmUsageException {
        return SacctmgrCommandLine.parse(List.of(args), Map.of(), NOW, UTC);
    }

    private static SacctmgrEvents events(String... args) throws SlurmUsageException {
        return parse(args).events();
    }

    private static List<String> errors(String... args) {
        return assertThrows(SlurmUsageException.class, () -> parse(args)).lines();
    }

    @Test
    void withoutConditionsTheListStartsAtMidnightOfTheDayBeforeAndTakesDownAndDrainedEvents() throws Exception {
        SacctmgrEvents e = events("show", "event");
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), e.start());
        assertNull(e.end());
        assertEquals(Set.of("DOWN", "DRAINED"), e.statuses());
        assertEquals("?limit=50&start=2026-11-20T00:00:00Z&states=DOWN,DRAINED", e.query(50).replace("%2C", ","));
        assertEquals(e, events("list", "events"));
        assertEquals(e, events("lis", "e"));
    }

    @Test
    void statesWithoutStartAskForTheEventsInForceNowAndAllTimeForEveryOne() throws Exception {
        SacctmgrEvents drained = events("show", "event", "States=drain");
        assertEquals(NOW, drained.start());
        assertEquals(Set.of("DRAINED"), drained.statuses());
        assertEquals(Set.of("DOWN"), events("show", "event", "states=dow,Down").statuses());
        // Valid Slurm states Cadre never records: nothing to ask for.
        assertFalse(events("show", "event", "States=IDLE,fail").asksForRows());
        assertNull(events("show", "event", "All_Time").start());
        assertEquals(List.of("Invalid state: DO", "Valid node states are: DRAIN FAIL UNKNOWN DOWN IDLE ALLOCATED ERROR"
                + " MIXED FUTURE ", "sacctmgr: fatal: unrecognized job state value"),
                errors("show", "event", "States=DO"));
    }

    @Test
    void conditionsBecomeTheQuery() throws Exception {
        SacctmgrEvents e = events("show", "event", "where", "Nodes=n[1-2],gpu", "Start=2026-11-01T00:00:00",
                "End=2026-11-02", "User=alice", "Reason=disk,fan", "MinCPUs=4", "Clusters=cadre", "All_Clusters");
        assertEquals("?limit=10&start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z&nodes=n1,n2,gpu&states=DOWN,"
                + "DRAINED&users=alice&reasons=disk,fan&minCores=4&maxCores=4", e.query(10).replace("%2C", ","));
        // MinCPUs alone is an exact count, with MaxCPUs a range; MaxCPUs alone is ignored, as slurmdbd does.
        SacctmgrEvents range = events("show", "event", "MinCPUs=2", "MaxCPUs=8");
        assertEquals(List.of(2, 8), List.of(range.minCores(), range.maxCores()));
        assertNull(events("show", "event", "MaxCPUs=8").maxCores());
    }

    @Test
    void badConditionsAndOtherCommandsAreRefusedNamingThem() {
        assertEquals(List.of(" Unknown condition: Colour=red"), errors("show", "event", "Colour=red"));
        assertEquals(List.of(" Unknown event type: 'job'  Valid events are Cluster and Node."),
                errors("show", "event", "Event=job"));
        assertEquals(List.of("Unknown field 'Colour'"), errors("show", "event", "Format=NodeName,Colour"));
        assertTrue(errors("show", "event", "Start=someday").get(0).startsWith("Invalid time specification"));
        assertTrue(errors("show", "event", "MinCPUs=x").get(0).contains("MinCpus"));
        assertTrue(errors("show", "event", "Clusters=other").get(0).contains("'other' can't be reached now"));
        String account = errors("show", "account").get(0);
        assertTrue(account.startsWith("sacctmgr: error: 'show account' is not supported by Cadre"), account);
        String add = errors("add", "user", "alice", "Account=a").get(0);
        assertTrue(add.startsWith("sacctmgr: error: 'add' is not supported by Cadre"), add);
        assertTrue(errors("-M", "other", "show", "event").get(0).contains("'other'"));
        assertTrue(errors().get(0).contains("no interactive mode"));
        assertEquals("sacctmgr: invalid option -- 'x'", errors("-x", "show", "event").get(0));
    }

    @Test
    void helpAndVersionArePrinted() throws Exception {
        assertEquals(SacctmgrCommandLine.USAGE, parse("--help").help());
        assertEquals(SacctmgrCommandLine.USAGE, parse("help").help());
        assertEquals(CommandOptions.VERSION, parse("-V").help());
    }

    @Test
    void theDefaultColumnsAreSlurmsWithAnOpenEventUnknownAndTheUserWithItsUid() throws Exception {
        List<SacctmgrEventFields.Event> list = List.of(
                new SacctmgrEventFields.Event("node1", "DOWN", T, T.plusSeconds(5400), 8, "Not responding", null),
                new SacctmgrEventFields.Event("node2", "DRAINED", T.plusSeconds(600), null, 2,
                        "a reason longer than thirty characters", "alice"));
        List<String> lines = SacctmgrEventFields.lines(events("show", "event"), list, "cadre", NOW, UTC,
                u -> u.equals("alice") ? Optional.of("1001") : Optional.empty());
        assertEquals(List.of(
                "   Cluster NodeName                  TimeStart             TimeEnd  State"
                        + "                         Reason       User ",
                "---------- --------------- ------------------- ------------------- ------"
                        + " ------------------------------ ---------- ",
                "     cadre node1           2026-11-21T08:00:00 2026-11-21T09:30:00  DOWN*"
                        + "                 Not responding            ",
                "     cadre node2           2026-11-21T08:10:00             Unknown  DRAIN"
                        + " a reason longer than thirty c+ alice(100+ "), lines);
    }

    @Test
    void formatNamesWidthsAndParsableOutput() throws Exception {
        List<SacctmgrEventFields.Event> list = List.of(new SacctmgrEventFields.Event("node2", "DRAINED",
                T, null, 2, "fan", "root"));
        SacctmgrEvents e = events("-P", "-n", "show", "event",
                "Format=NodeN,Start,End,Duration,CPUC,TRES,Event,EventRaw,StateRaw,State,ClusterNodes,Cl,R%5,U");
        assertEquals(List.of("node2|2026-11-21T08:00:00|Unknown|02:30:00|2|cpu=2|Node|2|514|DRAIN||cadre|fan|root"),
                SacctmgrEventFields.lines(e, list, "cadre", NOW, UTC, u -> Optional.empty()));
        SacctmgrEvents widths = events("-p", "show", "event", "Format=NodeName%5,Reason%-4");
        assertEquals(List.of("NodeName|Reason|", "node2|fan|"),
                SacctmgrEventFields.lines(widths, list, "cadre", NOW, UTC, u -> Optional.empty()));
        SacctmgrEvents fixed = events("-n", "show", "event", "Format=NodeName%4,Reason%-4");
        assertEquals(List.of("nod+ fan  "), SacctmgrEventFields.lines(fixed, list, "cadre", NOW, UTC,
                u -> Optional.empty()));
    }

    @Test
    void clusterEventsAloneListNoneUnderTheirOwnColumns() throws Exception {
        SacctmgrEvents e = events("show", "event", "Event=Cluster");
        assertFalse(e.asksForRows());
        assertEquals(List.of("   Cluster CPU Cnt           TimeStart             TimeEnd        Cluster Nodes ",
                "---------- ------- ------------------- ------------------- -------------------- "),
                SacctmgrEventFields.lines(e, List.of(), "cadre", NOW, UTC, u -> Optional.empty()));
        assertTrue(events("show", "event", "Event=Cluster,Node").asksForRows());
    }
}
