package dev.cadre.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobSpec;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerSettings;
import dev.cadre.scheduler.core.StartForecast;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulatedClusterTest {

    private static JobSpec.Builder job() {
        return JobSpec.builder().name("t").user("bench").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                .timeLimitSeconds(600L).cpusPerTask(1);
    }

    /** Each job needs both nodes whole: the second can start only once the first has given back both. */
    @Test
    void aTwoNodeJobsEndFreesItsOtherNodeForTheNextPass() {
        SimulatedCluster cluster = new SimulatedCluster(PlacementPolicy.Kind.FCFS, 2, 4);
        cluster.admit(1, job().nodes(2).tasks(8).build());
        cluster.admit(2, job().nodes(2).tasks(8).build());
        assertEquals(1, cluster.recordStarts(cluster.schedule()));
        assertEquals(8, cluster.coresInUse());

        List<Long> ending = cluster.pickEnding(new Random(1), 1);
        assertEquals(List.of(1L), ending);
        cluster.end(1);
        assertEquals(0, cluster.coresInUse());

        assertEquals(1, cluster.recordStarts(cluster.schedule()), "job 2 waits for slots nobody uses");
        assertEquals(1, cluster.runningJobs());
        assertEquals(8, cluster.coresInUse());
        assertEquals(0, cluster.pendingJobs());
    }

    @Test
    void aCancelledHeldJobLeavesTheQueue() {
        SimulatedCluster cluster = new SimulatedCluster(PlacementPolicy.Kind.EASY, 1, 4);
        cluster.admit(1, job().tasks(1).hold("user").build());
        assertEquals(0, cluster.recordStarts(cluster.schedule()));
        assertEquals(1, cluster.pendingJobs());
        cluster.cancelPending(1);
        assertEquals(0, cluster.pendingJobs());
        assertEquals("0 jobs running on 0 of 4 cores (0 %), 0 pending", cluster.occupancy());
    }

    /** The settings given reach the core: squeue --start's plan stops at their backfill depth. */
    @Test
    void theForecastPlansAsDeepAsTheSettingsSay() {
        SchedulerSettings d = SchedulerSettings.defaults(Duration.ofDays(1));
        SimulatedCluster cluster = new SimulatedCluster(new SchedulerSettings(PlacementPolicy.Kind.EASY, 2,
                d.backfillResolution(), d.backfillWindow(), d.nodeTimeout(), d.requeueBackoff(),
                d.requeueBackoffCap(), true), 1, 4);
        for (long id = 1; id <= 4; id++) {
            cluster.admit(id, job().tasks(4).build());
        }
        assertEquals(1, cluster.recordStarts(cluster.schedule()));

        List<StartForecast.Start> plan = cluster.forecast();
        assertEquals(List.of(2L, 3L), plan.stream().map(StartForecast.Start::jobId).toList());
        assertEquals(SimulatedCluster.START.plus(Duration.ofMinutes(10)), plan.get(0).at());
        assertEquals(plan, cluster.forecast(), "asking again changes nothing");
    }
}
