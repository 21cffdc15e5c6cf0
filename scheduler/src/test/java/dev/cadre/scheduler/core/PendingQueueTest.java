package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** PendingQueue's counts against the plain definition, over random puts, replacements and removals. */
class PendingQueueTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void theCountsAgreeWithTheDefinitionAfterEveryChange() {
        Random rnd = new Random(7);
        int plainSeen = 0;
        int otherSeen = 0;
        for (int round = 0; round < 300; round++) {
            PendingQueue queue = new PendingQueue();
            TreeMap<Long, JobRecord> model = new TreeMap<>();
            for (int step = 0; step < 60; step++) {
                long id = 1 + rnd.nextInt(30);
                if (rnd.nextInt(3) == 0) {
                    queue.remove(id);
                    model.remove(id);
                } else {
                    JobRecord j = job(id, T0.plusSeconds(rnd.nextInt(4) == 0 ? rnd.nextInt(3600) : id * 10),
                            rnd.nextInt(15) == 0);
                    queue.put(j);
                    model.put(id, j);
                }
                boolean expected = plain(new ArrayList<>(model.values()));
                assertEquals(expected, queue.inPlainOrder(), "round " + round + " step " + step + ": " + model);
                assertEquals(List.copyOf(model.values()), List.copyOf(queue.inIdOrder()));
                if (expected) {
                    plainSeen++;
                } else {
                    otherSeen++;
                }
            }
        }
        assertTrue(plainSeen > 1_000 && otherSeen > 1_000, plainSeen + " / " + otherSeen);
    }

    @Test
    void equalSubmissionTimesAreInOrderAndAJobSubmittedEarlierUnderAHigherIdIsNot() {
        PendingQueue queue = new PendingQueue();
        queue.put(job(1, T0, false));
        queue.put(job(2, T0, false));
        assertTrue(queue.inPlainOrder());
        queue.put(job(3, T0.minusMillis(1), false));
        assertFalse(queue.inPlainOrder());
        queue.remove(3);
        assertTrue(queue.inPlainOrder());
        queue.put(job(2, T0, true));
        assertFalse(queue.inPlainOrder(), "a nice value reorders");
        queue.put(job(2, T0, false));
        assertTrue(queue.inPlainOrder(), "replacing the record takes the old one's part back");
    }

    private static boolean plain(List<JobRecord> inIdOrder) {
        for (int i = 0; i < inIdOrder.size(); i++) {
            JobRecord j = inIdOrder.get(i);
            if (j.spec().niceOrZero() != 0 || i > 0 && inIdOrder.get(i - 1).submitTime().isAfter(j.submitTime())) {
                return false;
            }
        }
        return true;
    }

    private static JobRecord job(long id, Instant submitted, boolean nice) {
        JobSpec spec = CoreScenario.spec().nice(nice ? 5 : null).build();
        return new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null, false, null, null, submitted,
                null, null, null, null);
    }
}
