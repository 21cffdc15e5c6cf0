package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.time.Instant;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A job's deadline and its DEADLINE end as the commands show them: scontrol's Deadline=, squeue's DL and
 * (DeadLine), squeue -t DEADLINE or DL, squeue -O deadline, and sacct's state.
 */
class DeadlineShownTest {
    private static final Instant SUBMIT = Instant.parse("2026-03-10T14:00:00Z");
    private static final Instant DEADLINE = Instant.parse("2026-03-10T18:00:00Z");
    private static final JobSpec SPEC = JobSpec.builder().name("job.sh").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/home/alice/work").timeLimitSeconds(3600L).deadline(DEADLINE).build();

    private static Json ended() {
        JobRecord j = new JobRecord(42, "k42", SPEC, JobState.DEADLINE, "DeadLine", 0, null, false, null, null,
                SUBMIT, null, SUBMIT.plusSeconds(60), null, null);
        return Json.parse(MessageCodec.encodeValue(JobSummary.of(j, null)));
    }

    @Test
    void scontrolShowsTheDeadlineAndTheEnd() {
        String shown = ScontrolJobFormat.render(ended(), SUBMIT.plusSeconds(120), ZoneOffset.UTC);
        assertTrue(shown.contains("JobState=DEADLINE Reason=DeadLine "), shown);
        assertTrue(shown.contains(" Deadline=2026-03-10T18:00:00\n"), shown);
    }

    @Test
    void squeueShowsDlAndTheReason() throws Exception {
        SqueueJob job = SqueueJob.of(ended(), SUBMIT.plusSeconds(120));
        assertEquals("DL", job.state().shortCode());
        assertEquals("(DeadLine)", job.nodesOrReason());
        assertEquals(Set.of(JobState.DEADLINE), SqueueOptions.states("DEADLINE"));
        assertEquals(Set.of(JobState.DEADLINE), SqueueOptions.states("dl"));
    }

    @Test
    void squeueFormatsTheDeadlineFieldAsSlurmDoesNaWithoutOne() throws Exception {
        Clock clock = Clock.fixed(SUBMIT.plusSeconds(120), ZoneOffset.UTC);
        SqueueJob with = SqueueJob.of(ended(), SUBMIT.plusSeconds(120));
        SqueueJob without = SqueueJob.of(Json.parse(MessageCodec.encodeValue(JobSummary.of(new JobRecord(43, "k43",
                SPEC.toBuilder().deadline(null).build(), JobState.PENDING, "Priority", 0, null, false, null, null,
                SUBMIT, null, null, null, null), null))), SUBMIT.plusSeconds(120));
        assertEquals(List.of("DEADLINE            JOBID", "2026-03-10T18:00:00 42", "N/A                 43"),
                SqueueFormat.render(SqueueFormat.parseLong("deadline,jobid"), List.of(with, without), true, clock)
                        .stream().map(String::stripTrailing).toList());
        assertEquals(List.of("           DEADLINE|", "2026-03-10T18:00:00|"),
                SqueueFormat.render(SqueueFormat.parseLong("Deadline:.19|"), List.of(with), true, clock),
                "a width, right-justified, with a suffix, as the other fields take");
        assertEquals(List.of("DEAD", "2026"), SqueueFormat.render(SqueueFormat.parseLong("deadline:4"),
                List.of(with), true, clock), "cut to the width, as Slurm's _print_time cuts it");
    }

    @Test
    void squeueSelectsOutOfMemoryJobsByOom() throws Exception {
        assertEquals(Set.of(JobState.OUT_OF_MEMORY), SqueueOptions.states("OOM"));
        assertEquals(Set.of(JobState.OUT_OF_MEMORY), SqueueOptions.states("out_of_memory"));
        assertEquals(Set.of(JobState.OUT_OF_MEMORY, JobState.DEADLINE), SqueueOptions.states("oom,DL"));
    }
}
