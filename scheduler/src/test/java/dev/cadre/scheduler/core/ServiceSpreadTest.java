package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A service's replicas spread over the nodes that can hold them; other jobs keep first fit. */
class ServiceSpreadTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private static PlacementPolicy.Candidate queued(long id, String service) {
        JobSpec spec = ResourceFitTest.job().name("j" + id).tasks(1).service(service).build();
        return new PlacementPolicy.Candidate(new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null,
                false, null, null, NOW, null, null), 1);
    }

    private static List<String> hosts(PlacementPolicy.Result r) {
        return r.placements().stream().map(p -> p.allocation().hostnames()).toList();
    }

    @Test
    void replicasPlacedInOnePassGoToTheNodesHoldingFewestOfThem() {
        var queue = List.of(queued(1, "web"), queued(2, "web"), queued(3, "web"), queued(4, "api"),
                queued(5, null), queued(6, null));
        for (PlacementPolicy policy : List.of(new FcfsPolicy(), new EasyBackfillPolicy(100), conservative())) {
            var r = policy.place(queue, ResourceFitTest.nodes(8, 8), List.of(), NOW);
            assertEquals(List.of("n1", "n2", "n1", "n1", "n1", "n1"), hosts(r),
                    policy + ": web spreads, api and batch jobs fill the first node as before");
        }
    }

    @Test
    void instancesAlreadyRunningCountAndAFullNodeIsSkipped() {
        FreeResources free = ResourceFitTest.nodes(8, 8, 2);
        JobSpec web = ResourceFitTest.job().tasks(1).service("web").build();
        List<Allocation> running = new ArrayList<>();
        running.add(new Allocation(List.of(new Allocation.NodeSlots("id1", "n1", 1, 1, 0, 0))));
        running.add(new Allocation(List.of(new Allocation.NodeSlots("id3", "n3", 1, 2, 0, 0))));
        running.forEach(a -> free.take(a, web));
        for (PlacementPolicy policy : List.of(new EasyBackfillPolicy(100), conservative())) {
            var r = policy.place(List.of(queued(1, "web"), queued(2, "web")), free.copy(), List.of(), NOW);
            assertEquals(List.of("n2", "n1"), hosts(r),
                    policy + ": n3 is full; n2 holds none, then n1 and n2 hold one each");
        }
    }

    private static PlacementPolicy conservative() {
        return new ConservativeBackfillPolicy(100, SchedulerSettings.DEFAULT_BACKFILL_RESOLUTION,
                SchedulerSettings.DEFAULT_BACKFILL_WINDOW);
    }
}
