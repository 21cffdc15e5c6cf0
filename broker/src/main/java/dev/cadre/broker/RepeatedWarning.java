package dev.cadre.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One warning that a flood would repeat thousands of times a second: the first occurrence is told whole, the later
 * ones are counted and told as one line per period, so that the log stays readable and its disk unfilled. Thread-safe.
 */
final class RepeatedWarning {
    private final String what;
    private final Duration period;
    private final Clock clock;
    private long unreported;
    private String last;
    private Instant lastReport;

    /** @param what what happened, completed by each occurrence's detail ("refused a connection from") */
    RepeatedWarning(String what, Duration period, Clock clock) {
        this.what = what;
        this.period = period;
        this.clock = clock;
    }

    /** The line to log for this occurrence, if one is due: the first, or a summary once a period has passed. */
    synchronized Optional<String> occurred(String detail) {
        last = detail;
        Instant now = clock.instant();
        if (lastReport == null) {
            lastReport = now;
            return Optional.of(what + " " + detail + " (more are counted and logged every "
                    + BrokerLimits.describe(period) + ")");
        }
        unreported++;
        return due(now);
    }

    /** The summary of what was counted, once a period has passed since the last line; for a periodic check. */
    synchronized Optional<String> summary() {
        return due(clock.instant());
    }

    private Optional<String> due(Instant now) {
        if (unreported == 0 || now.isBefore(lastReport.plus(period))) {
            return Optional.empty();
        }
        String line = what + " " + (unreported == 1 ? "once more" : unreported + " more times") + " in the last "
                + BrokerLimits.describe(Duration.between(lastReport, now).withNanos(0)) + ", the last " + last;
        unreported = 0;
        lastReport = now;
        return Optional.of(line);
    }
}
