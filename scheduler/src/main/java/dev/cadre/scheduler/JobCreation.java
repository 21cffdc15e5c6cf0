package dev.cadre.scheduler;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.scheduler.core.Decisions;

/** The job-state-changed event that announces a new job (previous state: none). */
final class JobCreation {
    private JobCreation() {
    }

    static Decisions event(JobRecord j) {
        Decisions d = new Decisions();
        d.events().add(new JobEvent.JobStateChanged(j.id(), null, j.state(), j.reason(), j.submitTime(), 0,
                j.user(), j.name()));
        return d;
    }
}
