package dev.cadre.scheduler.core;

import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a pass offers its placement policy: the pending jobs that may start now, in priority order, with the
 * reasons of those that may not and the jobs whose dependency can never be satisfied.
 *
 * <p>When the pending jobs are in plain order ({@link PendingQueue}), every one may start and id order is
 * priority order, so the queue is the pending jobs themselves, read only as far as the policy reads: a pass over
 * a full cluster then looks at a handful of jobs, not all of them. It decides exactly what the full reading
 * would (a test runs both on the same histories).
 *
 * @param reasons why each held-back job waits, by id
 * @param hopeless jobs whose dependency can never be satisfied
 * @param nowEligible jobs the last pass kept back for a hold or a dependency that are eligible now
 *        ({@link Eligibility#becameEligible}); the plain order has none, as none of its jobs may be held back
 * @param readyByTask for records whose tasks aftercorr judges one by one, how many of their tasks may start
 */
record PassCandidates(Iterable<PlacementPolicy.Candidate> queue, Map<Long, String> reasons,
        List<JobRecord> hopeless, List<JobRecord> nowEligible, Map<Long, Integer> readyByTask) {

    /**
     * @param unavailableNames which required hosts make a job wait with ReqNodeNotAvail (down, drained or unknown
     *        nodes), asked for only when the pending jobs are read in full
     * @param undrained every known node but the drained ones, idle; null when no node is drained. A job that
     *        does not fit there could run only on drained nodes: it waits with ReqNodeNotAvail, out of the queue,
     *        rather than hold up the jobs behind it until an administrator resumes a node
     * @param shares the users' fair-share points: unless every user has the same, id order is not priority order
     * @param partitions asked why each job waits for its partitions; null when none is down or has a MaxTime
     */
    static PassCandidates of(JobTable jobs, Eligibility eligibility, Instant now, Supplier<Predicate<String>> unavailableNames,
            FreeResources undrained, Map<Long, Integer> activeTasks, boolean readLazily, FairShare shares,
            Partitions partitions) {
        if (readLazily && jobs.pendingInPlainOrder() && undrained == null && shares.uniform() && partitions == null) {
            return new PassCandidates(asCandidates(jobs.pending()), new HashMap<>(), List.of(), List.of(), Map.of());
        }
        Predicate<String> unavailable = unavailableNames.get();
        List<JobRecord> ready = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        List<JobRecord> hopeless = new ArrayList<>();
        List<JobRecord> nowEligible = new ArrayList<>();
        Map<ShapeMemo.Shape, Boolean> fitsUndrained = new HashMap<>();
        for (JobRecord j : jobs.pending()) {
            String why = Eligibility.mayBeHeldBack(j) ? eligibility.reason(j, now, unavailable, activeTasks) : null;
            if (why == null && partitions != null) {
                why = partitions.waitReason(j.spec());
            }
            if (why == null && undrained != null && !fits(j, undrained, fitsUndrained)) {
                why = Eligibility.REQ_NODE_NOT_AVAIL;
            }
            if (Eligibility.becameEligible(j.reason(), why)) {
                nowEligible.add(j);
            }
            if (why == null) {
                ready.add(j);
            } else if (why.equals(Eligibility.NEVER_SATISFIED)) {
                hopeless.add(j);
            } else {
                reasons.put(j.id(), why);
            }
        }
        Map<Long, Integer> readyByTask = new HashMap<>();
        eligibility.byTask().forEach((id, v) -> readyByTask.put(id, v.ready()));
        List<PlacementPolicy.Candidate> queue = new ArrayList<>(ready.size());
        // One budget per array for the pass, shared by its record and its split-off pending tasks in priority
        // order: judged each against the running count alone, they would together start past the throttle.
        Map<Long, Integer> room = new HashMap<>();
        for (JobRecord j : Priorities.ordered(ready, now, shares)) {
            int copies = copies(j, activeTasks, readyByTask);
            if (j.array() != null && j.spec().arraySpec().throttle() > 0) {
                long array = j.array().arrayJobId();
                int left = room.computeIfAbsent(array, a -> j.spec().arraySpec().throttle()
                        - activeTasks.getOrDefault(a, 0));
                copies = Math.min(copies, Math.max(0, left));
                room.put(array, left - copies);
                if (copies == 0) {
                    reasons.put(j.id(), "JobArrayTaskLimit");
                    continue;
                }
            }
            queue.add(new PlacementPolicy.Candidate(j, copies));
        }
        return new PassCandidates(queue, reasons, hopeless, nowEligible, readyByTask);
    }

    /** Whether the job fits on these idle nodes, judged once per shape in a pass. */
    private static boolean fits(JobRecord j, FreeResources idle, Map<ShapeMemo.Shape, Boolean> byShape) {
        ShapeMemo.Shape shape = ShapeMemo.shape(j.spec());
        if (shape == null) {
            return ResourceFit.fit(j.spec(), idle).isPresent();
        }
        return byShape.computeIfAbsent(shape, k -> ResourceFit.fit(j.spec(), idle).isPresent());
    }

    /**
     * How many tasks of an array's record (or a part of it) may start now: its pending ones, within the array's
     * throttle, and one at a time under a singleton dependency (each task is a job of the array's name, as in Slurm);
     * under aftercorr, no more than it has ready tasks ({@code readyByTask}).
     */
    static int copies(JobRecord j, Map<Long, Integer> activeTasks, Map<Long, Integer> readyByTask) {
        if (j.array() == null || j.array().pending() == null) {
            return 1;
        }
        int active = activeTasks.getOrDefault(j.array().arrayJobId(), 0);
        int throttle = j.spec().arraySpec().throttle();
        int room = throttle == 0 ? Integer.MAX_VALUE : throttle - active;
        if (oneAtATime(j)) {
            room = Math.min(room, 1 - active);
        }
        Integer ready = readyByTask.get(j.id());
        if (ready != null) {
            room = Math.min(room, ready);
        }
        return Math.max(0, Math.min(room, j.array().pending().count()));
    }

    /** Whether the job has a singleton dependency; with '?' too, as running tasks one by one never breaks it. */
    static boolean oneAtATime(JobRecord j) {
        String dependency = j.spec().dependency();
        return dependency != null && dependency.contains("singleton") && Dependencies.parse(dependency).conditions()
                .stream().anyMatch(c -> c.type() == Dependencies.Type.SINGLETON);
    }

    /** Plain-order jobs are never array records (those may be held back), so each offers one copy. */
    private static Iterable<PlacementPolicy.Candidate> asCandidates(Collection<JobRecord> pending) {
        return () -> pending.stream().map(j -> new PlacementPolicy.Candidate(j, 1)).iterator();
    }
}
