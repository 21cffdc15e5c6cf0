package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The reservation a job runs in, as Slurm shows it: squeue's %v and -O reservation (RESERVATION, "(null)" for a job
 * in none, as squeue's printf prints a null name), squeue -R NAME (only the jobs in that reservation, its name
 * matched exactly, as print.c's _filter_job strcmp's it), and scontrol show job's Reservation= line, which Slurm's
 * record holds only for a job in one, before OverSubscribe= (src/api/job_info.c).
 */
class ReservationShownTest {
    private static final Instant NOW = Instant.parse("2026-03-10T14:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JobSpec SPEC = JobSpec.builder().name("job.sh").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/home/alice").timeLimitSeconds(600L).build();

    private static Json summary(long id, String reservation) {
        JobRecord r = new JobRecord(id, "k" + id, SPEC.toBuilder().reservation(reservation).build(),
                JobState.PENDING, "Reservation", 0, null, false, null, null, NOW.minusSeconds(60), null, null, null,
                null);
        return Json.parse(MessageCodec.encodeValue(JobSummary.of(r, null)));
    }

    private static SqueueJob job(long id, String reservation) {
        return SqueueJob.of(summary(id, reservation), NOW);
    }

    private static List<String> squeue(List<String> args, List<SqueueJob> jobs) throws SlurmUsageException {
        SqueueOptions options = SqueueOptions.parse(args, Map.of(), "alice");
        return SqueueFormat.render(options.layout(), jobs.stream().filter(j -> options.shows(j, NOW)).toList(),
                options.header(), CLOCK);
    }

    @Test
    void squeuePrintsTheReservationUnderItsHeaderAndNullForNone() throws Exception {
        List<SqueueJob> jobs = List.of(job(1, "maint"), job(2, null));
        assertEquals(List.of("JOBID RESERVATION", "1 maint", "2 (null)"),
                squeue(List.of("-o", "%i %v"), jobs));
        assertEquals(List.of("JOBID               RESERVATION         ", "1                   maint               ",
                "2                   (null)              "), squeue(List.of("-O", "jobid,reservation"), jobs));
        assertEquals(List.of("RESER", "maint", "(null"), squeue(List.of("-o", "%.5v"), jobs));
    }

    @Test
    void squeueDashRShowsOnlyTheJobsInThatReservationByItsExactName() throws Exception {
        List<SqueueJob> jobs = List.of(job(1, "maint"), job(2, null), job(3, "Maint"), job(4, "maint"));
        assertEquals(List.of("JOBID", "1", "4"), squeue(List.of("-R", "maint", "-o", "%i"), jobs));
        assertEquals(List.of("JOBID", "3"), squeue(List.of("--reservation=Maint", "-o", "%i"), jobs));
        assertEquals(List.of("JOBID"), squeue(List.of("--reservation", "none", "-o", "%i"), jobs));
        assertTrue(SqueueOptions.parse(List.of("-R", "maint"), Map.of(), "alice").notes().isEmpty(),
                "-R is a filter now, not an option squeue warns it ignores");
    }

    @Test
    void scontrolShowsReservationBeforeOverSubscribeOnlyForAJobInOne() {
        String inside = ScontrolJobFormat.render(summary(7, "maint"), NOW, ZoneOffset.UTC);
        assertTrue(inside.contains("\n   MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0\n   Reservation=maint\n"
                + "   OverSubscribe=OK "), inside);
        String outside = ScontrolJobFormat.render(summary(8, null), NOW, ZoneOffset.UTC);
        assertFalse(outside.contains("Reservation="), outside);
        String oneLine = ScontrolJobFormat.render(summary(7, "maint"), NOW, ZoneOffset.UTC, true, UnixAccounts.NONE);
        assertTrue(oneLine.contains(" MinTmpDiskNode=0 Reservation=maint OverSubscribe=OK "), oneLine);
    }
}
