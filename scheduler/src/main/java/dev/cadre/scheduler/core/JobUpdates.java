package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job-updated and array-part-joined events of a decision: what changed in jobs whose state did not, so that the
 * status page and bus subscribers see a hold, release or update when it happens instead of at their next read.
 */
public final class JobUpdates {
    private JobUpdates() {
    }

    /**
     * One job-updated per record whose spec the decision changed, or whose pending tasks a request changed (see
     * {@link Decisions#retasked}), as the decision leaves it, then one array-part-joined per stored part it dropped.
     * A record the decision made is announced by its job-state-changed already; it gets a job-updated only when its
     * spec was then changed (a part split off by a hold, then held), so that a subscriber applying the events in order
     * ends with what is stored.
     */
    public static List<JobEvent> of(Decisions d, Instant now) {
        if (d.updated().isEmpty() && d.joined().isEmpty()) {
            return List.of();
        }
        Set<Long> dropped = new HashSet<>(d.dropped());
        Map<Long, JobRecord> made = new HashMap<>();
        d.inserted().forEach(j -> made.put(j.id(), j));
        List<JobEvent> out = new ArrayList<>();
        for (JobRecord j : d.updated()) {
            // A record the decision made with its spec as announced (a task split off a part, which stores the
            // part's spec, then maybe started) changed no spec: its state changes say the rest.
            JobRecord announced = made.get(j.id());
            boolean asAnnounced = announced != null && announced.spec().equals(j.spec());
            // One that ended in the decision (the array's record, with the last of its tasks a list cancelled) is
            // announced by its end.
            if (!dropped.contains(j.id()) && !asAnnounced && !j.state().isTerminal()) {
                out.add(new JobEvent.JobUpdated(j.id(), j.user(), j.name(), j.state(), j.reason(), j.spec().hold(),
                        j.spec().timeLimitSeconds(), j.spec().priority(), j.spec().nice(), now,
                        j.arrayJobId(), j.arrayTaskId(), j.spec().beginTime(), j.spec().dependency(),
                        j.array() != null && j.spec().hasArray() ? j.spec().arraySpec().throttle() : null,
                        j.spec().deadline(), j.spec().mailType(), j.spec().mailUser()));
            }
        }
        for (Decisions.Joined joined : d.joined()) {
            JobRecord part = joined.part();
            out.add(new JobEvent.ArrayPartJoined(part.id(), part.array().arrayJobId(), joined.into(), part.user(),
                    now));
        }
        return out;
    }
}
