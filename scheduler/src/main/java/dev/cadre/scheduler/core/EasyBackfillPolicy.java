package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EASY backfill: jobs start in priority order until one does not fit; that job gets a reservation, the earliest
 * time at which the running jobs' time limits free enough for it. A later job then starts now only if it does
 * not delay that reservation: it ends (by its time limit) before the reserved start, or it leaves what the
 * reserved job needs at that time untouched.
 */
public final class EasyBackfillPolicy implements PlacementPolicy {
    private final int depth;

    /** @param depth the most queued jobs judged behind the reserved one in a pass (Slurm's bf_max_job_test) */
    public EasyBackfillPolicy(int depth) {
        this.depth = depth;
    }

    @Override
    public Result place(Iterable<Candidate> queue, FreeResources free, List<Release> running, Instant now) {
        FreeResources left = free.copy();
        ShapeMemo memo = new ShapeMemo();
        List<Placement> placements = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        List<Release> ends = new ArrayList<>(running);
        Reservation reserved = null;
        int judged = 0;
        for (Candidate c : queue) {
            JobSpec spec = c.job().spec();
            if (reserved != null && (++judged > depth || left.freeCores() == 0)) {
                break;
            }
            for (int copy = 0; copy < c.copies(); copy++) {
                Optional<Allocation> fit = memo.fit(spec, left);
                if (fit.isEmpty()) {
                    if (reserved == null) {
                        reasons.put(c.job().id(), "Resources");
                        reserved = Reservation.plan(spec, left, ends, now).orElse(null);
                    }
                    break;
                }
                Instant end = now.plus(Release.limitOf(spec));
                if (reserved != null && end.isAfter(reserved.start()) && !reserved.allows(fit.get(), spec)) {
                    break;
                }
                left.take(fit.get(), spec);
                ends.add(new Release(end, fit.get(), spec.wholeNodes()));
                placements.add(new Placement(c.job().id(), fit.get()));
            }
        }
        return new Result(placements, reasons, "Priority");
    }
}
