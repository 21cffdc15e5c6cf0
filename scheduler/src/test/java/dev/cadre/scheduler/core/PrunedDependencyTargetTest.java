package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A job the history pruner deleted is refused as a dependency target like one that never existed, also when it
 * ended while this head ran and is remembered; and while a delete is under way, a new job may not name what it
 * may delete (the delete could not see the new job and keep its target).
 */
class PrunedDependencyTargetTest {

    private static Optional<String> problem(CoreScenario s, String dependency) {
        return s.core.dependencyProblem(CoreScenario.spec().dependency(dependency).build())
                .map(p -> p.message());
    }

    private static long runToEnd(CoreScenario s) {
        long id = s.submit(CoreScenario.spec());
        s.schedule();
        s.finish(id, 0);
        assertEquals(JobState.COMPLETED, s.job(id).state());
        return id;
    }

    @Test
    void aJobEndedInThisRunAndThenPrunedIsRefusedLikeAnUnknownOne() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        long pruned = runToEnd(s);
        long kept = runToEnd(s);
        assertEquals(Optional.empty(), problem(s, "afterok:" + pruned), "remembered as it ended");

        s.core.historyPruning(Set.of(pruned, kept));
        assertEquals(Optional.of("names job " + pruned + ", which does not exist"), problem(s, "afterok:" + pruned),
                "the delete under way could not keep it for a new job");
        s.stored.remove(pruned);
        s.core.historyPruned(Set.of(pruned), Set.of());

        assertEquals(Optional.of("names job " + pruned + ", which does not exist"), problem(s, "afterok:" + pruned));
        assertEquals(Optional.of("names job 77, which does not exist"), problem(s, "afterok:77"), "the same wording");
        assertEquals(Optional.empty(), problem(s, "afterok:" + kept), "what the delete left may be named again");
    }

    @Test
    void aPrunedArraysTasksAreRefusedToo() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        long array = s.submit(CoreScenario.spec().array("0-1"));
        s.schedule();
        for (JobRecord t : s.stored.values().stream().filter(j -> j.state() == JobState.RUNNING).toList()) {
            s.finish(t.id(), 0);
        }
        assertEquals(Optional.empty(), problem(s, "afterok:" + array + "_1"));
        Set<Long> rows = Set.copyOf(s.stored.values().stream().filter(j -> j.array() != null
                && j.array().arrayJobId() == array).map(JobRecord::id).toList());
        assertTrue(rows.size() >= 2, "the tasks ran as records of their own: " + rows);

        s.core.historyPruning(rows);
        rows.forEach(s.stored::remove);
        s.core.historyPruned(rows, Set.of(array));

        assertEquals(Optional.of("names job " + array + "_1, which does not exist"),
                problem(s, "afterok:" + array + "_1"));
        assertEquals(Optional.of("names job " + array + ", which does not exist"), problem(s, "afterok:" + array));
    }

    @Test
    void aHeldJobAdmittedBeforeTheDeleteKeepsItsTargetAndRunsAsItWouldAfterARestart() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        long target = runToEnd(s);
        long held = s.submit(CoreScenario.spec().dependency("afterok:" + target).hold("user"));
        // The pruner reads the held job's dependency inside its delete and keeps the target.
        s.core.historyPruning(Set.of(target));
        s.core.historyPruned(Set.of(), Set.of());
        s.apply(s.core.control().release(new dev.cadre.protocol.ControlRequest.ReleaseJob(held, null, false)).decisions());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(held).state(), "its dependency is still satisfied");
    }
}
