package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conservative backfill: every queued job, in priority order, gets the earliest start at which it fits for its
 * whole time limit around the running jobs and the reservations of the jobs before it. A job starts now when
 * that start is now; no job can delay the reserved start of any job ahead of it.
 */
public final class ConservativeBackfillPolicy implements PlacementPolicy {
    private final int depth;

    /** @param depth the most queued jobs given a reservation in a pass; the rest wait with reason Priority */
    public ConservativeBackfillPolicy(int depth) {
        this.depth = depth;
    }

    @Override
    public Result place(List<Candidate> queue, FreeResources free, List<Release> running, Instant now) {
        ResourceProfile profile = new ResourceProfile(free, running, now);
        List<Placement> placements = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        boolean anyWaiting = false;
        int judged = 0;
        for (Candidate c : queue) {
            if (++judged > depth) {
                break;
            }
            JobSpec spec = c.job().spec();
            for (int copy = 0; copy < c.copies(); copy++) {
                Optional<ResourceProfile.Slot> slot = profile.earliest(spec, Release.limitOf(spec));
                if (slot.isEmpty()) {
                    reasons.put(c.job().id(), anyWaiting ? "Priority" : "Resources");
                    anyWaiting = true;
                    break;
                }
                profile.reserve(slot.get(), spec);
                if (!slot.get().start().equals(now)) {
                    reasons.put(c.job().id(), anyWaiting ? "Priority" : "Resources");
                    anyWaiting = true;
                    // One reservation per array a pass: its later tasks start no earlier.
                    break;
                }
                placements.add(new Placement(c.job().id(), slot.get().allocation()));
            }
        }
        return new Result(placements, reasons, "Priority");
    }
}
