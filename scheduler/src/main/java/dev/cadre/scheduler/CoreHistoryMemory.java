package dev.cadre.scheduler;

import dev.cadre.scheduler.core.SchedulerCore;
import java.util.Set;

/**
 * Tells the core, under its lock, what the history pruner deletes: a new job may not depend on a job a delete under
 * way may remove, and dependencies on deleted ones are judged as on jobs the store no longer holds.
 */
final class CoreHistoryMemory implements HistoryPruner.Memory {
    private final SchedulerCore core;

    CoreHistoryMemory(SchedulerCore core) {
        this.core = core;
    }

    @Override
    public void deleting(Set<Long> jobAndArrayIds) {
        synchronized (core) {
            core.historyPruning(jobAndArrayIds);
        }
    }

    @Override
    public void deleted(Set<Long> jobIds, Set<Long> arrayJobIds) {
        synchronized (core) {
            core.historyPruned(jobIds, arrayJobIds);
        }
    }
}
