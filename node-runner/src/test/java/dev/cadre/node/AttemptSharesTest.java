package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.NodeGpus;
import dev.cadre.node.core.NodeTopology;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Who holds which of a node's CPUs and GPUs: attempts being started, running ones and ones held for other nodes' jobs
 * each get CPUs and GPUs nobody else holds, a suspended attempt keeping its GPUs but not its CPUs.
 */
class AttemptSharesTest {
    private final Map<String, RunningAttempt> running = new HashMap<>();
    private final AttemptShares shares = new AttemptShares(BoundCpus.within(new TreeSet<>(List.of(0, 1, 2, 3)),
            "n1", NodeTopology.UNKNOWN), running);

    AttemptSharesTest() {
        shares.bindGpus(new BoundGpus(NodeGpus.declared(4), "n1"));
    }

    /** Attempt 1 of the job, one task of these CPUs and GPUs on n1, its script there or on n0. */
    private static NodeCommand.PlaceJob place(long job, boolean here, int cpus, int gpus) {
        JobSpec spec = JobSpec.builder().name("j").user("alice").workDir("/tmp").script("#!/bin/sh\ntrue\n").build();
        Allocation.NodeSlots n1 = new Allocation.NodeSlots("n1", "h1", 1, cpus, gpus, 0);
        Allocation.NodeSlots n0 = new Allocation.NodeSlots("n0", "h0", 1, 1, 0, 0);
        return new NodeCommand.PlaceJob(job, 1, spec, new Allocation(here ? List.of(n1) : List.of(n0, n1)), "tok");
    }

    private RunningAttempt run(NodeCommand.PlaceJob place, AttemptShares.Share share) {
        RunningAttempt r = new RunningAttempt(place.jobId(), place.attempt(), 100 + place.jobId(),
                new AttemptDirectory(Path.of("/nonexistent", Long.toString(place.jobId()))));
        r.cpus = share.cpus();
        r.gpus = share.gpus();
        running.put(r.key(), r);
        shares.started(place);
        return r;
    }

    @Test
    void startingRunningAndHeldAttemptsNeverShareACpuOrAGpu() {
        NodeCommand.PlaceJob first = place(1, true, 1, 1);
        AttemptShares.Share starting = shares.take(first);
        assertEquals(new AttemptShares.Share(new TreeSet<>(List.of(0)), List.of(0)), starting);
        assertEquals(Optional.of(starting), shares.known(1, 1), "a start holds its choice until it is listed");
        AttemptShares.Share held = shares.hold(place(2, false, 2, 2));
        assertEquals(new AttemptShares.Share(new TreeSet<>(List.of(1, 2)), List.of(1, 2)), held);
        assertEquals(held, shares.hold(place(2, false, 2, 2)), "taken again, a held attempt keeps its share");
        run(first, starting);
        assertEquals(Optional.of(starting), shares.known(1, 1), "listed, the running attempt says it");
        assertEquals(new AttemptShares.Share(new TreeSet<>(List.of(3)), List.of(3)), shares.take(place(3, true, 1, 1)));
        shares.started(place(3, true, 1, 1));
        shares.release(2, 1);
        assertEquals(Optional.empty(), shares.known(2, 1), "released, a held attempt holds nothing");
        assertEquals(AttemptShares.Share.NONE, shares.of(2, 1));
        assertEquals(new AttemptShares.Share(new TreeSet<>(List.of(1, 2)), List.of(1, 2)),
                shares.take(place(4, true, 2, 2)), "what it held goes to the next");
    }

    @Test
    void aSuspendedAttemptKeepsItsGpusButNotItsCpus() {
        NodeCommand.PlaceJob first = place(1, true, 2, 2);
        run(first, shares.take(first)).suspended = true;
        AttemptShares.Share next = shares.take(place(2, true, 2, 1));
        assertEquals(new TreeSet<>(List.of(0, 1)), next.cpus(), "its CPUs go to others, as its cores do on the head");
        assertEquals(List.of(2), next.gpus(), "its GPUs stay its own");
    }

    @Test
    void aRestartedRunnersHeldAttemptKeepsTheShareItsRecordKept() {
        NodeCommand.PlaceJob held = place(5, false, 1, 1);
        AttemptShares.Share recorded = new AttemptShares.Share(new TreeSet<>(List.of(2)), List.of(3));
        shares.heldAgain(held, recorded);
        assertEquals(recorded, shares.hold(held), "no new choice is made for it");
        assertEquals(new AttemptShares.Share(new TreeSet<>(List.of(0)), List.of(0)), shares.take(place(6, true, 1, 1)));
        AttemptShares.Share third = shares.take(place(7, true, 2, 3));
        assertEquals(new TreeSet<>(List.of(1, 3)), third.cpus());
        assertEquals(List.of(0, 1, 2), third.gpus(), "too few free: it still gets its count, sharing the lowest held");
        assertTrue(new AttemptShares(BoundCpus.NONE, Map.of()).take(place(8, true, 1, 1)).cpus().isEmpty(),
                "a node that binds no CPUs gives none");
    }
}
