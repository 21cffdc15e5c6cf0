package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected lines are Slurm's, column for column: sinfo's formats, widths and order, trailing spaces included. */
class SinfoFormatTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T08:05:09Z"), ZoneOffset.UTC);
    private static final Instant LOST = Instant.parse("2026-01-15T07:58:02Z");

    private static SinfoNode node(String name, int cpus, int alloc) {
        return new SinfoNode(name, cpus, alloc, 7976, 0, false, null, null);
    }

    private static SinfoNode down(String name, Instant since) {
        return new SinfoNode(name, 4, 0, 7976, 0, true, "Not responding", since);
    }

    /** Every state: two mixed, one allocated, two idle, one down. */
    private static final List<SinfoNode> CLUSTER = List.of(node("node01", 4, 0), node("node02", 4, 2),
            node("node03", 4, 4), node("node04", 4, 0), down("node05", LOST), node("node06", 4, 1));

    static List<String> sinfo(List<SinfoNode> nodes, String... args) throws SlurmUsageException {
        return SinfoFormat.render(SinfoOptions.parse(List.of(args), Map.of()), nodes, CLOCK);
    }

    @Test
    void defaultFormatPutsLikeNodesOnOneCompressedLine() throws Exception {
        assertEquals(List.of(
                "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST",
                "batch*       up   infinite      3   idle node[01-03]"),
                sinfo(List.of(node("node03", 8, 0), node("node01", 8, 0), node("node02", 8, 0))));
    }

    @Test
    void statesAreGroupedAndListedDownMixedAllocatedIdle() throws Exception {
        assertEquals(List.of(
                "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST",
                "batch*       up   infinite      1  down* node05",
                "batch*       up   infinite      2    mix node[02,06]",
                "batch*       up   infinite      1  alloc node03",
                "batch*       up   infinite      2   idle node[01,04]"),
                sinfo(CLUSTER));
    }

    @Test
    void aClusterWithoutNodesStillShowsItsPartition() throws Exception {
        assertEquals(List.of(
                "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST",
                "batch*       up   infinite      0    n/a "),
                sinfo(List.of()));
    }

    @Test
    void noHeader() throws Exception {
        assertEquals(List.of("batch*       up   infinite      1   idle n1"), sinfo(List.of(node("n1", 2, 0)), "-h"));
        assertEquals(List.of("n1        n1   ", "n2        n2   "), sinfo(List.of(node("n1", 2, 0), node("n2", 2, 2)),
                "--noheader", "-N", "-o", "%10N%5N"));
    }

    @Test
    void nodeOrientedListsEachNodeByNameWithThePartitionRightJustified() throws Exception {
        assertEquals(List.of(
                "NODELIST   NODES PARTITION STATE ",
                "node1          1    batch* idle  ",
                "node2          1    batch* down* ",
                "node10         1    batch* mix   "),
                sinfo(List.of(node("node10", 4, 1), down("node2", LOST), node("node1", 4, 0)), "-N"));
    }

    @Test
    void nodeOrientedWidensTheNodeColumnForLongNames() throws Exception {
        assertEquals(List.of(
                "NODELIST           NODES PARTITION STATE ",
                "compute-0001-long      1    batch* alloc "),
                sinfo(List.of(node("compute-0001-long", 2, 2)), "--Node"));
    }

    @Test
    void longFormatStartsWithTheDate() throws Exception {
        assertEquals(List.of(
                "Thu Jan 15 08:05:09 2026",
                "PARTITION AVAIL  TIMELIMIT   JOB_SIZE ROOT OVERSUBS     GROUPS  NODES       STATE RESERVATION NODELIST",
                "batch*       up   infinite 1-infinite   no       NO        all      1       mixed             node1"),
                sinfo(List.of(node("node1", 4, 1)), "-l"));
        assertEquals(List.of(
                "batch*       up   infinite 1-infinite   no       NO        all      1       mixed             node1"),
                sinfo(List.of(node("node1", 4, 1)), "-l", "-h"));
    }

    @Test
    void longNodeFormat() throws Exception {
        assertEquals(List.of(
                "Thu Jan 15 08:05:09 2026",
                "NODELIST   NODES PARTITION       STATE CPUS    S:C:T MEMORY TMP_DISK WEIGHT AVAIL_FE REASON              ",
                "node1          1    batch*        idle 4       4:1:1   7976        0      1   (null) none                ",
                "node2          1    batch*       down* 4       4:1:1   7976        0      1   (null) Not responding      "),
                sinfo(List.of(node("node1", 4, 0), down("node2", LOST)), "-Nl"));
    }

    @Test
    void listReasonsShowsUnavailableNodesOnly() throws Exception {
        assertEquals(List.of(
                "REASON               USER      TIMESTAMP           NODELIST",
                "Not responding       Unknown   2026-01-15T07:58:02 node[05,07]",
                "Not responding       Unknown   2026-01-15T08:01:00 node08"),
                sinfo(List.of(node("node01", 4, 0), down("node05", LOST), down("node07", LOST),
                        down("node08", Instant.parse("2026-01-15T08:01:00Z"))), "-R"));
        assertEquals(List.of("REASON               USER      TIMESTAMP           NODELIST"),
                sinfo(List.of(node("node01", 4, 0)), "-R"));
        assertEquals(List.of(
                "Thu Jan 15 08:05:09 2026",
                "REASON               USER         TIMESTAMP           STATE  NODELIST",
                "Not responding       Unknown      2026-01-15T07:58:02 down*  node05"),
                sinfo(List.of(down("node05", LOST)), "-R", "-l"));
    }

    @Test
    void summarizeCountsNodesByState() throws Exception {
        assertEquals(List.of(
                "PARTITION AVAIL  TIMELIMIT   NODES(A/I/O/T) NODELIST",
                "batch*       up   infinite          3/2/1/6 node[01-06]"),
                sinfo(CLUSTER, "-s"));
    }

    @Test
    void formatFieldsAndWidths() throws Exception {
        assertEquals(List.of(
                "PARTITION|PARTITION|NODES|CPUS|MEMORY|CPUS(A/I/O/T)|GRES|AVAIL",
                "batch*|batch|6|4|7976|7/13/4/24|(null)|up"),
                sinfo(CLUSTER, "-o", "%P|%R|%D|%c|%m|%C|%G|%a"));
        assertEquals(List.of("PAR|     PARTITION|NODELIST|NODEL", "ba*|        batch*|n[1-2|n[1-2"),
                sinfo(List.of(node("n1", 2, 0), node("n2", 2, 0)), "--format=%3P|%.14P|%.5N|%5N"));
    }

    @Test
    void sizesThatDifferShowTheSmallestWithAPlusUnlessExact() throws Exception {
        List<SinfoNode> mixed = List.of(node("a1", 4, 0), node("a2", 16, 0), new SinfoNode("g1", 8, 0, 1000, 2,
                false, null, null));
        assertEquals(List.of("CPUS MEMORY STATE NODELIST", "4+   1000+  idle  a[1-2],g1"),
                sinfo(mixed, "-o", "%4c %6m %5t %N"));
        // Without -N, lines keep the order they were made in (sinfo sorts only by partition and state).
        assertEquals(List.of("CPUS STATE NODELIST", "4    idle  a1", "16   idle  a2", "8    idle  g1"),
                sinfo(mixed, "-e", "-o", "%4c %5t %N"));
        assertEquals(List.of("GRES   NODELIST", "(null) a[1-2]", "gpu:2  g1"), sinfo(mixed, "-o", "%6G %N"));
    }

    @Test
    void statesFilterTheNodes() throws Exception {
        assertEquals(List.of("batch*       up   infinite      2   idle node[01,04]"), sinfo(CLUSTER, "-h", "-t", "idle"));
        assertEquals(List.of(
                "batch*       up   infinite      2    mix node[02,06]",
                "batch*       up   infinite      1  alloc node03"),
                sinfo(CLUSTER, "-h", "--states=ALLOC"));
        assertEquals(List.of("batch*       up   infinite      1  down* node05"),
                sinfo(CLUSTER, "-h", "-t", "no_respond&d"));
        assertEquals(List.of("batch*       up   infinite      0    n/a "), sinfo(CLUSTER, "-h", "-t", "drain"));
        assertEquals(List.of("node02", "node03", "node05", "node06"),
                sinfo(CLUSTER, "-h", "-N", "-t", "alloc,down", "-o", "%N"));
    }

    @Test
    void nodesPartitionsAndRespondingFilterToo() throws Exception {
        assertEquals(List.of("node[01-03]"), sinfo(CLUSTER, "-h", "-n", "node[01-03]", "-o", "%N"));
        assertEquals(List.of(), sinfo(CLUSTER, "-h", "-p", "debug"));
        assertEquals(List.of("node05"), sinfo(CLUSTER, "-h", "-d", "-o", "%N"));
        assertEquals(List.of("node[01-04,06]"), sinfo(CLUSTER, "-h", "-r", "-o", "%N"));
    }

    @Test
    void unknownFieldsArePrintedAsWrittenAndReported() throws Exception {
        assertEquals(List.of("NODES %Q|%#P", "1 %Q|%#P"), sinfo(List.of(node("n1", 1, 0)), "-o", "%D %Q|%#P"));
        assertEquals(List.of("Invalid node format specification: Q", "Invalid node format specification: #"),
                SinfoFormat.problems(SinfoOptions.parse(List.of("-o", "%D %Q|%#P"), Map.of())));
        for (String builtIn : List.of("", "-l", "-N", "-Nl", "-R", "-lR", "-s")) {
            List<String> args = builtIn.isEmpty() ? List.of() : List.of(builtIn);
            assertEquals(List.of(), SinfoFormat.problems(SinfoOptions.parse(args, Map.of())), builtIn);
        }
    }
}
