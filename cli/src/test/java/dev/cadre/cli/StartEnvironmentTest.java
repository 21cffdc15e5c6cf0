package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.broker.BrokerLimits;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every CADRE_* variable the daemons read as they start: a bad value is a usage error (status 2), as a bad option is,
 * named with the values the variable takes, before the head or node makes anything.
 */
class StartEnvironmentTest {
    private static String refusal(String variable, String value) {
        return assertThrows(LongOptions.UsageException.class, () -> {
            LongOptions none = new LongOptions(List.of(), Daemons.HEAD_OPTIONS, Set.of());
            Map<String, String> env = Map.of(variable, value);
            DaemonOptions.checkBrokerSettings(env);
            DaemonOptions.historyRetention(none, env);
            DaemonOptions.rediscoverAfter(none, env);
        }, variable + "=" + value).getMessage();
    }

    @Test
    void eachBadValueIsAUsageErrorNamingTheVariableAndWhatItTakes() {
        assertEquals("CADRE_BROKER_EVENT_RETENTION must be a duration from 1s to 365d: seconds (3600) or a number"
                + " with s, m, h or d (90m, 12h, 30d), not '400d'", refusal(BrokerLimits.EVENT_RETENTION_ENV, "400d"));
        assertEquals("CADRE_BROKER_CLIENT_DISK_PERCENT must be a whole percentage from 1 to 98, not '99'",
                refusal(BrokerLimits.CLIENT_DISK_ENV, "99"));
        assertEquals("CADRE_BROKER_MEMORY must be a size of at least 1m, such as 512m or 2g, not '512q'",
                refusal(BrokerLimits.MEMORY_ENV, "512q"));
        assertEquals("CADRE_JOB_HISTORY_RETENTION must be forever or a duration such as 90d or 12h, not 'a while'",
                refusal(DaemonOptions.JOB_HISTORY_RETENTION, "a while"));
        assertEquals("CADRE_REDISCOVER_AFTER must be a number of seconds from 1 to 86400, not '0'",
                refusal(DaemonOptions.REDISCOVER_AFTER, "0"));
    }

    @Test
    void goodOrBlankValuesPass() {
        assertDoesNotThrow(() -> DaemonOptions.checkBrokerSettings(Map.of(BrokerLimits.EVENT_RETENTION_ENV, "365d",
                BrokerLimits.CLIENT_DISK_ENV, " 98 ", BrokerLimits.MEMORY_ENV, "1m")));
        assertDoesNotThrow(() -> DaemonOptions.checkBrokerSettings(Map.of(BrokerLimits.EVENT_RETENTION_ENV, " ")));
        assertDoesNotThrow(() -> DaemonOptions.checkBrokerSettings(Map.of()));
    }
}
