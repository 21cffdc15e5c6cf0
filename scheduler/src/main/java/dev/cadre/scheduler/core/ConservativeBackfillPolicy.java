package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conservative backfill: every queued job, in priority order, gets the earliest start at which it fits for its
 * whole time limit around the running jobs and the reservations of the jobs before it. A job starts now when
 * that start is now; no job delays the reserved start of any job ahead of it.
 *
 * <p>As in Slurm, the plan is made in steps of a resolution (bf_resolution) up to a window (bf_window): times
 * are rounded up to a step, so a job never starts into resources that are still busy, and a job whose earliest
 * start lies beyond the window gets no reservation and holds up no one.
 */
public final class ConservativeBackfillPolicy implements PlacementPolicy {
    private final int depth;
    private final Duration resolution;
    private final Duration window;

    /**
     * @param depth the most queued jobs judged behind the first waiting one in a pass (Slurm's bf_max_job_test);
     *        the rest wait with reason Priority
     * @param resolution the length of a step of the plan
     * @param window how far ahead the plan reaches
     */
    public ConservativeBackfillPolicy(int depth, Duration resolution, Duration window) {
        this.depth = depth;
        this.resolution = resolution;
        this.window = window;
    }

    @Override
    public Result place(Iterable<Candidate> queue, FreeResources free, List<Release> running, Instant now) {
        ResourceProfile profile = new ResourceProfile(free, running, now, resolution, window);
        EarliestStart search = new EarliestStart(profile);
        // What is free now, for the jobs in an advance reservation: the profile holds their nodes from everyone.
        FreeResources nowLeft = free.copy();
        List<Placement> placements = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        boolean anyWaiting = false;
        int judged = 0;
        for (Candidate c : queue) {
            // With no core free now, no later job can start in this pass, so planning further decides nothing.
            if (anyWaiting && (++judged > depth || profile.freeCoresNow() == 0)) {
                break;
            }
            JobSpec spec = c.job().spec();
            int length = profile.length(Release.limitOf(spec));
            if (spec.reservation() != null) {
                placeInReservation(c, length, profile, nowLeft, placements, reasons);
                continue;
            }
            for (int copy = 0; copy < c.copies(); copy++) {
                Optional<ResourceProfile.Slot> slot = search.find(spec, length);
                slot.ifPresent(s -> profile.reserve(s, length, spec));
                if (slot.isEmpty() || slot.get().start() > 0) {
                    reasons.put(c.job().id(), anyWaiting ? "Priority" : "Resources");
                    anyWaiting = true;
                    // One reservation per array a pass: its later tasks start no earlier.
                    break;
                }
                nowLeft.take(slot.get().allocation(), spec);
                placements.add(new Placement(c.job().id(), slot.get().allocation()));
            }
        }
        return new Result(placements, reasons, "Priority");
    }

    /**
     * A job in an active advance reservation starts now on its nodes if it fits there, and else waits for room there
     * without holding up the jobs behind it, which cannot use those nodes meanwhile anyway.
     */
    private static void placeInReservation(Candidate c, int length, ResourceProfile profile, FreeResources nowLeft,
            List<Placement> placements, Map<Long, String> reasons) {
        JobSpec spec = c.job().spec();
        for (int copy = 0; copy < c.copies(); copy++) {
            Optional<Allocation> fit = ResourceFit.fit(spec, nowLeft);
            if (fit.isEmpty()) {
                reasons.put(c.job().id(), "Resources");
                return;
            }
            nowLeft.take(fit.get(), spec);
            profile.reserve(new ResourceProfile.Slot(0, fit.get()), length, spec);
            placements.add(new Placement(c.job().id(), fit.get()));
        }
    }
}
