package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.NodeCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeCommandBatchesTest {
    private static final JobSpec SPEC = JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/tmp").build();

    private static Outgoing place(String node, long job) {
        return new Outgoing("cadre.node." + node, new NodeCommand.PlaceJob(job, 1, SPEC,
                new Allocation(List.of(new Allocation.NodeSlots(node, node, 1, 1, 0, 0))), "t"));
    }

    private static Outgoing kill(String node, long job) {
        return new Outgoing("cadre.node." + node, new NodeCommand.KillJob(job, 1, JobState.CANCELLED));
    }

    /** Each destination's commands, place-jobs messages opened up, in the order they would arrive. */
    private static Map<String, List<Message>> arriving(List<Outgoing> sent) {
        Map<String, List<Message>> out = new LinkedHashMap<>();
        for (Outgoing o : sent) {
            List<Message> list = out.computeIfAbsent(o.destination(), d -> new ArrayList<>());
            if (o.message() instanceof NodeCommand.PlaceJobs many) {
                list.addAll(many.placements());
            } else {
                list.add(o.message());
            }
        }
        return out;
    }

    @Test
    void placementsForOneNodeBecomeOneMessageInTheirOrder() {
        List<Outgoing> in = List.of(place("a", 1), place("a", 2), place("a", 3));
        List<Outgoing> out = NodeCommandBatches.combine(in, 64);
        assertEquals(1, out.size());
        NodeCommand.PlaceJobs many = assertInstanceOf(NodeCommand.PlaceJobs.class, out.get(0).message());
        assertEquals(List.of(1L, 2L, 3L), many.placements().stream().map(NodeCommand.PlaceJob::jobId).toList());
        assertEquals("cadre.node.a", out.get(0).destination());
    }

    @Test
    void aLonePlacementStaysAPlaceJob() {
        Outgoing one = place("a", 1);
        List<Outgoing> out = NodeCommandBatches.combine(List.of(one, kill("b", 2)), 64);
        assertEquals(2, out.size());
        assertSame(one.message(), out.stream().filter(o -> o.destination().equals("cadre.node.a")).findFirst()
                .orElseThrow().message());
    }

    @Test
    void aKillAfterPlacementsOnItsNodeArrivesAfterThem() {
        List<Outgoing> in = List.of(place("a", 1), place("b", 2), place("a", 3), kill("a", 1), place("a", 4));
        List<Outgoing> out = NodeCommandBatches.combine(in, 64);
        assertEquals(arriving(in), arriving(out));
        assertEquals(4, out.size(), out.toString()); // a: [1,3], kill 1, [4]; b: [2]
    }

    @Test
    void noMessageHoldsMoreThanTheLimit() {
        List<Outgoing> in = new ArrayList<>();
        for (long j = 0; j < 130; j++) {
            in.add(place("a", j));
        }
        List<Outgoing> out = NodeCommandBatches.combine(in, 64);
        assertEquals(List.of(64, 64), out.subList(0, 2).stream()
                .map(o -> ((NodeCommand.PlaceJobs) o.message()).placements().size()).toList());
        assertEquals(3, out.size());
        assertEquals(arriving(in), arriving(out));
    }

    /** Property: for any mix of commands and nodes, each node receives exactly its commands in their order. */
    @Test
    void everyNodeReceivesItsCommandsInOrderForRandomMixes() {
        for (long seed = 0; seed < 500; seed++) {
            Random r = new Random(seed);
            List<Outgoing> in = new ArrayList<>();
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                String node = "n" + r.nextInt(4);
                in.add(r.nextInt(5) == 0 ? kill(node, i) : place(node, i));
            }
            int limit = 1 + r.nextInt(10);
            List<Outgoing> out = NodeCommandBatches.combine(in, limit);
            assertEquals(arriving(in), arriving(out), "seed " + seed);
            for (Outgoing o : out) {
                if (o.message() instanceof NodeCommand.PlaceJobs many) {
                    assertTrue(many.placements().size() >= 2 && many.placements().size() <= limit, "seed " + seed);
                }
            }
        }
    }

    @Test
    void splitHalvesABatchAndLeavesOthersAlone() {
        List<Outgoing> in = List.of(place("a", 1), place("a", 2), place("a", 3));
        Outgoing batch = NodeCommandBatches.combine(in, 64).get(0);
        List<Outgoing> halves = NodeCommandBatches.split(batch);
        assertEquals(2, halves.size());
        assertInstanceOf(NodeCommand.PlaceJob.class, halves.get(0).message());
        assertInstanceOf(NodeCommand.PlaceJobs.class, halves.get(1).message());
        assertEquals(arriving(in), arriving(halves));
        assertEquals(List.of(kill("a", 1)), NodeCommandBatches.split(kill("a", 1)));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> NodeCommandBatches.combine(List.of(), 0));
        assertEquals("perMessage must be at least 1, not 0", e.getMessage());
    }
}
