package dev.cadre.scheduler;

import dev.cadre.protocol.DiagnosticsReport;
import dev.cadre.protocol.DiagnosticsSource;
import dev.cadre.scheduler.core.SchedulerStatistics;
import java.lang.management.ManagementFactory;

/** The scheduler's statistics as the REST API reads them, with the head's thread count (sdiag's server threads). */
public final class SchedulerDiagnostics implements DiagnosticsSource {
    private final SchedulerStatistics statistics;

    public SchedulerDiagnostics(SchedulerStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public DiagnosticsReport report() {
        return statistics.report(ManagementFactory.getThreadMXBean().getThreadCount());
    }

    @Override
    public void reset() {
        statistics.reset();
    }
}
