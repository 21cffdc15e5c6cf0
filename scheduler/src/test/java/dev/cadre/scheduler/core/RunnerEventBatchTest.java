package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A runner-events message decides exactly what its events, one after the other, would. */
class RunnerEventBatchTest {
    private static List<RunnerEvent> events(CoreScenario s, List<Long> ids) {
        List<RunnerEvent> out = new ArrayList<>();
        for (long id : ids) {
            JobRecord j = s.job(id);
            out.add(new RunnerEvent.RunnerRunning(id, j.attempt(), "n1", s.clock.instant()));
        }
        // The first job fails, the second is reported twice (a repeat is ignored), the rest complete.
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            out.add(new RunnerEvent.RunnerFinished(id, s.job(id).attempt(), "n1", i == 0 ? 3 : 0, 0, null,
                    s.clock.instant(), null));
            if (i == 1) {
                out.add(out.get(out.size() - 1));
            }
        }
        return out;
    }

    private static CoreScenario placedFour() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        for (int i = 0; i < 4; i++) {
            s.submit(CoreScenario.spec());
        }
        s.schedule();
        return s;
    }

    @Test
    void aBatchDecidesWhatItsEventsDecideOneByOne() {
        CoreScenario single = placedFour();
        CoreScenario batched = placedFour();
        List<Long> ids = single.inState(JobState.RUNNING).stream().map(JobRecord::id).toList();
        assertEquals(4, ids.size());

        Decisions one = new Decisions();
        for (RunnerEvent e : events(single, ids)) {
            one.addAll(single.apply(single.core.onRunnerEvent(e)));
        }
        Decisions all = batched.apply(batched.core.onRunnerEvent(new RunnerEvent.RunnerEvents("n1",
                events(batched, ids), batched.clock.instant())));

        assertEquals(one.changes(), all.changes());
        assertEquals(one.messages(), all.messages());
        assertEquals(single.stored, batched.stored);
        assertEquals(JobState.FAILED, batched.job(ids.get(0)).state());
        assertEquals(List.of(JobState.COMPLETED, JobState.COMPLETED, JobState.COMPLETED),
                ids.subList(1, 4).stream().map(id -> batched.job(id).state()).toList());
    }
}
