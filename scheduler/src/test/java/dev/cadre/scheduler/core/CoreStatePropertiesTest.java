package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobTransitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core driven by random sequences of submissions, passes, job ends, node silences, cancels, holds,
 * releases, requeues, updates and node drains and resumes, one seed per case. After every step: each change
 * follows the transition table from the job's previous state, every pending job has a reason the documentation
 * lists, no node is over-committed, no job starts on a drained node, no job starts more often than its
 * attempt limit allows (requeues by request aside), and each task of an array is in exactly one record, however
 * task-list holds, releases and cancels moved it into parts.
 */
class CoreStatePropertiesTest {
    static final Set<String> REASONS = Set.of("None", "Resources", "Priority", "Dependency",
            "DependencyNeverSatisfied", "JobHeldUser", "JobHeldAdmin", "BeginTime", "ReqNodeNotAvail",
            "JobArrayTaskLimit", "Requeued");

    static List<Long> seeds() {
        List<Long> out = new ArrayList<>();
        for (long s = 1; s <= 150; s++) {
            out.add(s);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomHistoriesKeepTheInvariants(long seed) {
        Random rnd = new Random(seed);
        PlacementPolicy.Kind kind = PlacementPolicy.Kind.values()[rnd.nextInt(3)];
        CoreScenario s = new CoreScenario(kind);
        Map<Long, JobState> last = new HashMap<>();
        Map<Long, Integer> requeuedByRequest = new HashMap<>();
        List<String> nodes = List.of("n1", "n2", "n3");
        nodes.forEach(n -> s.node(n, 1 + rnd.nextInt(8)));
        int checked = 0;
        Set<String> drained = new java.util.HashSet<>();
        for (int step = 0; step < 120; step++) {
            switch (rnd.nextInt(12)) {
                case 0, 1 -> s.submit(randomSpec(rnd, s));
                case 2, 3 -> s.schedule();
                case 4 -> s.inState(JobState.RUNNING).stream().findFirst()
                        .ifPresent(j -> s.finish(j.id(), rnd.nextInt(3) == 0 ? 1 : 0));
                case 5 -> {
                    s.clock.advance(Duration.ofSeconds(rnd.nextInt(40)));
                    nodes.stream().filter(n -> rnd.nextInt(3) > 0).forEach(n -> s.node(n, 8));
                    s.apply(s.core.tick());
                }
                case 6 -> pick(rnd, s).ifPresent(id -> s.apply(s.core.cancel(id).decisions()));
                case 7 -> pick(rnd, s).ifPresent(id -> s.apply(s.core.control().hold(
                        new ControlRequest.HoldJob(id, null, rnd.nextBoolean())).decisions()));
                case 8 -> pick(rnd, s).ifPresent(id -> s.apply(s.core.control().release(
                        new ControlRequest.ReleaseJob(id, null, true)).decisions()));
                case 11 -> pick(rnd, s).map(s::job).filter(j -> j.array() != null)
                        .ifPresent(j -> s.apply(taskListRequest(rnd, s, j)));
                case 10 -> {
                    String n = nodes.get(rnd.nextInt(nodes.size()));
                    if (drained.remove(n)) {
                        s.apply(s.core.nodeControl().resume(new ControlRequest.ResumeNode(n, "root")).decisions());
                    } else {
                        drained.add(n);
                        var drain = new ControlRequest.DrainNode(n, "test", "root");
                        s.apply(s.core.nodeControl().drain(drain).decisions());
                    }
                }
                default -> pick(rnd, s).ifPresent(id -> {
                    var o = s.core.control().requeue(new ControlRequest.RequeueJob(id, null, false));
                    s.apply(o.decisions());
                    if (o.result().ok()) {
                        // The node confirms the kill (a request naming an array requeues every running task).
                        s.stored.values().stream().filter(j -> j.state() == JobState.COMPLETING
                                && "REQUEUED".equals(j.reason())).map(JobRecord::id).toList().forEach(t -> {
                                    requeuedByRequest.merge(t, 1, Integer::sum);
                                    s.killed(t, JobState.REQUEUED);
                                });
                    }
                });
            }
            if (step % 2 == 1) {
                s.schedule();
            }
            for (JobChange c : s.changes.subList(checked, s.changes.size())) {
                JobState prior = last.get(c.job().id());
                if (c.movesState()) {
                    assertTrue(JobTransitions.isAllowed(c.previous(), c.job().state()), "seed " + seed + ": "
                            + c.previous() + " -> " + c.job().state());
                    if (prior != null) {
                        assertEquals(prior, c.previous(), "seed " + seed + ": job " + c.job().id()
                                + " changed from a state it was not in");
                    }
                }
                if (c.movesState() && c.job().state() == JobState.RUNNING) {
                    assertTrue(c.job().allocation().nodes().stream().noneMatch(n -> drained.contains(n.nodeId())),
                            "seed " + seed + ": job " + c.job().id() + " started on a drained node: " + drained);
                }
                last.put(c.job().id(), c.job().state());
                assertTrue(c.job().attempt() <= c.job().spec().attemptLimit()
                        + requeuedByRequest.getOrDefault(c.job().id(), 0), "seed " + seed + ": too many attempts: " + c.job());
            }
            checked = s.changes.size();
            for (JobRecord j : s.inState(JobState.PENDING)) {
                assertNotNull(j.reason(), "seed " + seed + ": job " + j.id() + " has no reason");
                assertTrue(REASONS.contains(j.reason()), "seed " + seed + ": reason " + j.reason());
            }
            assertNoOverCommit(s, seed);
            assertEachTaskInOneRecord(s, seed);
        }
    }

    /** hold, uhold, release or scancel of a random range of the array's tasks, which makes and splits parts. */
    private static Decisions taskListRequest(Random rnd, CoreScenario s, JobRecord j) {
        long array = j.array().arrayJobId();
        int max = j.spec().arraySpec().indexes().max();
        int from = rnd.nextInt(max + 1);
        ArrayIndexes tasks = ArrayIndexes.parse(from + "-" + (from + rnd.nextInt(max + 1 - from)));
        JobControl control = s.core.control();
        return switch (rnd.nextInt(3)) {
            case 0 -> control.hold(new ControlRequest.HoldJob(array, null, tasks, rnd.nextBoolean(), null)).decisions();
            case 1 -> control.release(new ControlRequest.ReleaseJob(array, null, tasks, true, null)).decisions();
            default -> control.cancel(new ControlRequest.CancelJob(array, null, tasks, null)).decisions();
        };
    }

    /** Every task of every array is in exactly one record: its own, or the pending set of the array's or a part. */
    private static void assertEachTaskInOneRecord(CoreScenario s, long seed) {
        Map<Long, Map<Integer, Integer>> seen = new HashMap<>();
        for (JobRecord j : s.stored.values()) {
            if (j.array() == null) {
                continue;
            }
            Map<Integer, Integer> tasks = seen.computeIfAbsent(j.array().arrayJobId(), k -> new HashMap<>());
            if (j.array().taskId() != null) {
                tasks.merge(j.array().taskId(), 1, Integer::sum);
            } else {
                j.array().pending().ids().forEachRemaining((int t) -> tasks.merge(t, 1, Integer::sum));
            }
        }
        seen.forEach((array, tasks) -> {
            Map<Integer, Integer> once = new HashMap<>();
            s.job(array).spec().arraySpec().indexes().ids().forEachRemaining((int t) -> once.put(t, 1));
            assertEquals(once, tasks, "seed " + seed + ": the tasks of array " + array + " by record count");
        });
    }

    private static java.util.Optional<Long> pick(Random rnd, CoreScenario s) {
        List<Long> ids = new ArrayList<>(s.stored.keySet());
        return ids.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(ids.get(rnd.nextInt(ids.size())));
    }

    private static JobSpec.Builder randomSpec(Random rnd, CoreScenario s) {
        JobSpec.Builder b = CoreScenario.spec().tasks(1 + rnd.nextInt(4)).timeLimitSeconds(60L + rnd.nextInt(3600))
                .nice(rnd.nextInt(200) - 100);
        if (rnd.nextInt(5) == 0) {
            b.array("0-" + rnd.nextInt(6) + (rnd.nextBoolean() ? "%2" : ""));
        }
        if (rnd.nextInt(5) == 0 && !s.stored.isEmpty()) {
            long target = 1 + rnd.nextInt(s.stored.size());
            String[] kinds = {"afterok", "afterany", "afternotok", "after", "aftercorr"};
            b.dependency(kinds[rnd.nextInt(kinds.length)] + ":" + target);
        }
        if (rnd.nextInt(8) == 0) {
            b.hold(JobSpec.HOLD_USER);
        }
        if (rnd.nextInt(8) == 0) {
            b.beginTime(s.clock.instant().plusSeconds(rnd.nextInt(60)));
        }
        if (rnd.nextInt(6) == 0) {
            b.maxAttempts(1 + rnd.nextInt(3));
        }
        return b;
    }

    private static void assertNoOverCommit(CoreScenario s, long seed) {
        Map<String, Integer> used = new HashMap<>();
        for (JobRecord j : s.stored.values()) {
            if (j.state().isActive()) {
                j.allocation().nodes().forEach(n -> used.merge(n.nodeId(), n.cpus(), Integer::sum));
            }
        }
        for (var n : s.core.nodes()) {
            assertTrue(used.getOrDefault(n.id(), 0) <= n.cores(), "seed " + seed + ": " + n.id() + " uses "
                    + used.get(n.id()) + " of " + n.cores() + " cores: " + s.stored.values().stream()
                    .filter(j -> j.state().isActive()).map(j -> j.id() + "/" + j.state() + "/" + j.allocation())
                    .toList());
        }
    }
}
