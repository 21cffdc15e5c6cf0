package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job's partition where Slurm shows it: squeue's %P and -p (a pending job that names several matches any of
 * them, as print.c's _filter_job matches each of its part_ptr_list), scontrol show job's Partition=, and sacct's
 * Partition column; a job from a head older than partitions is in batch.
 */
class PartitionShownTest {
    private static final Instant NOW = Instant.parse("2026-03-10T14:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JobSpec SPEC = JobSpec.builder().name("job.sh").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/home/alice").timeLimitSeconds(600L).build();

    private static Json summary(long id, String partition) {
        JobRecord r = new JobRecord(id, "k" + id, SPEC.toBuilder().partition(partition).build(),
                JobState.PENDING, "Priority", 0, null, false, null, null, NOW.minusSeconds(60), null, null, null,
                null);
        return Json.parse(MessageCodec.encodeValue(JobSummary.of(r, null)));
    }

    private static List<String> squeue(List<String> args, Map<String, String> env) throws SlurmUsageException {
        List<SqueueJob> jobs = List.of(SqueueJob.of(summary(1, "gpu"), NOW), SqueueJob.of(summary(2, null), NOW),
                SqueueJob.of(summary(3, "debug,gpu"), NOW), SqueueJob.of(summary(4, "batch"), NOW));
        SqueueOptions options = SqueueOptions.parse(args, env, "alice");
        return SqueueFormat.render(options.layout(), jobs.stream().filter(j -> options.shows(j, NOW)).toList(),
                options.header(), CLOCK);
    }

    @Test
    void squeuePrintsEachJobsPartitionAndDashPShowsTheJobsOfThoseNamed() throws Exception {
        assertEquals(List.of("JOBID PARTITION", "1 gpu", "2 batch", "3 debug,gpu", "4 batch"),
                squeue(List.of("-o", "%i %P"), Map.of()));
        assertEquals(List.of("JOBID", "1", "3"), squeue(List.of("-p", "gpu", "-o", "%i"), Map.of()));
        assertEquals(List.of("JOBID", "2", "3", "4"), squeue(List.of("--partition=batch,debug", "-o", "%i"),
                Map.of()));
        assertEquals(List.of("JOBID"), squeue(List.of("-p", "nosuch", "-o", "%i"), Map.of()));
        assertEquals(List.of("JOBID", "1", "3"), squeue(List.of("-o", "%i"), Map.of("SQUEUE_PARTITION", "gpu")));
    }

    @Test
    void scontrolAndSacctShowThePartition() {
        String shown = ScontrolJobFormat.render(summary(7, "gpu"), NOW, ZoneOffset.UTC);
        assertTrue(shown.contains("\n   Partition=gpu\n"), shown);
        String old = ScontrolJobFormat.render(summary(8, null), NOW, ZoneOffset.UTC);
        assertTrue(old.contains("\n   Partition=batch\n"), old);
        assertEquals("debug", SacctRows.job(summary(9, "debug"), NOW).partition());
    }
}
