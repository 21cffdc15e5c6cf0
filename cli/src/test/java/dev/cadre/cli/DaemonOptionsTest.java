package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.scheduler.core.FairShareSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonOptionsTest {
    private static LongOptions node(String... args) throws LongOptions.UsageException {
        return new LongOptions(List.of(args), Daemons.NODE_OPTIONS, java.util.Set.of());
    }

    @Test
    void rediscoveryWaitComesFromTheOptionThenTheEnvironmentThenTwoMinutes() throws Exception {
        Map<String, String> env = Map.of(DaemonOptions.REDISCOVER_AFTER, "30");
        assertEquals(Duration.ofSeconds(5), DaemonOptions.rediscoverAfter(node("--rediscover-after", "5"), env));
        assertEquals(Duration.ofSeconds(30), DaemonOptions.rediscoverAfter(node(), env));
        assertEquals(Duration.ofSeconds(120), DaemonOptions.rediscoverAfter(node(), Map.of()));
        assertEquals(Duration.ofSeconds(120), DaemonOptions.rediscoverAfter(node(),
                Map.of(DaemonOptions.REDISCOVER_AFTER, " ")));
    }

    @Test
    void aBadRediscoveryWaitIsNamed() {
        for (String bad : List.of("0", "86401", "soon", "-3")) {
            LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                    () -> DaemonOptions.rediscoverAfter(node("--rediscover-after", bad), Map.of()));
            assertTrue(e.getMessage().startsWith("--rediscover-after must be"), e.getMessage());
            e = assertThrows(LongOptions.UsageException.class, () -> DaemonOptions.rediscoverAfter(node(),
                    Map.of(DaemonOptions.REDISCOVER_AFTER, bad)));
            assertEquals(DaemonOptions.REDISCOVER_AFTER + " must be a number of seconds from 1 to 86400, not '" + bad
                    + "'", e.getMessage());
        }
    }

    private static LongOptions head(String... args) throws LongOptions.UsageException {
        return new LongOptions(List.of(args), Daemons.HEAD_OPTIONS, Daemons.HEAD_FLAGS);
    }

    @Test
    void fairShareIsUnweighedWithSlurmsHalfLifeAndPeriodByDefault() throws Exception {
        assertEquals(new FairShareSettings(0, Duration.ofDays(7), Duration.ofMinutes(5)),
                DaemonOptions.scheduling(head()).fairShare());
        assertEquals(new FairShareSettings(100_000, Duration.ofDays(14), Duration.ofSeconds(30)),
                DaemonOptions.fairShare(head("--priority-weight-fairshare", "100000", "--priority-decay-half-life",
                        "14-0", "--priority-calc-period", "30")));
        assertEquals(Duration.ofMinutes(90), DaemonOptions.fairShare(head("--priority-decay-half-life", "90"))
                .halfLife(), "minutes, as Slurm's time forms");
        assertEquals(Duration.ZERO, DaemonOptions.fairShare(head("--priority-decay-half-life", "0")).halfLife(),
                "no decay");
    }

    @Test
    void badFairShareSettingsAreNamed() {
        for (String bad : List.of("-1", "lots", "2147483648")) {
            LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                    () -> DaemonOptions.fairShare(head("--priority-weight-fairshare", bad)));
            assertTrue(e.getMessage().contains("--priority-weight-fairshare"), e.getMessage());
        }
        for (String bad : List.of("a week", "-5", "3651-0", "1:2:3:4")) {
            LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                    () -> DaemonOptions.fairShare(head("--priority-decay-half-life", bad)));
            assertTrue(e.getMessage().startsWith("--priority-decay-half-life must be a time such as 7-0"),
                    bad + ": " + e.getMessage());
        }
        LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                () -> DaemonOptions.fairShare(head("--priority-calc-period", "0")));
        assertTrue(e.getMessage().contains("--priority-calc-period"), e.getMessage());
    }

    @Test
    void processTrackingIsOneOfThreeModes() throws Exception {
        assertEquals(ProcessTracking.Mode.AUTO, DaemonOptions.processTracking(node()));
        assertEquals(ProcessTracking.Mode.SESSION, DaemonOptions.processTracking(node("--process-tracking",
                "session")));
        LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                () -> DaemonOptions.processTracking(node("--process-tracking", "pid")));
        assertTrue(e.getMessage().contains("--process-tracking must be auto, cgroup or session, not 'pid'"),
                e.getMessage());
    }

    @Test
    void cpuBindingIsCoresUnlessTurnedOff() throws Exception {
        assertEquals(CpuChoice.Mode.CORES, DaemonOptions.cpuBinding(node()));
        assertEquals(CpuChoice.Mode.NONE, DaemonOptions.cpuBinding(node("--cpu-binding", "none")));
        LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                () -> DaemonOptions.cpuBinding(node("--cpu-binding", "sockets")));
        assertEquals("--cpu-binding must be none or cores, not 'sockets'", e.getMessage());
    }
}
