package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --mail-type and --mail-user of sbatch, salloc and srun reach the job as Slurm reads them; scontrol shows them. */
class MailOptionsTest extends SbatchFixture {

    @Test
    void typesAreReadAsSlurmReadsThemAndKeptInItsOrder() throws Exception {
        JobSpec spec = spec("--mail-type=end,Begin", "--mail-user=alice@example.org", "job.sh");
        assertEquals(List.of("BEGIN", "END"), spec.mailType());
        assertEquals("alice@example.org", spec.mailUser());
        assertEquals(List.of("INVALID_DEPEND", "BEGIN", "END", "FAIL", "REQUEUE", "STAGE_OUT"),
                spec("--mail-type=ALL", "job.sh").mailType(), "ALL as Slurm spells it out");
        assertEquals(List.of("ARRAY_TASKS", "FAIL", "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90", "TIME_LIMIT"),
                spec("--mail-type=TIME_LIMIT,time_limit_90,TIME_LIMIT_80,TIME_LIMIT_50,FAIL,ARRAY_TASKS", "job.sh")
                        .mailType());
        assertEquals(List.of("FAIL"), spec("--mail-type=FAIL,bogus", "job.sh").mailType(),
                "a name Slurm does not know is passed over when another is known");
        assertEquals(List.of("NONE"), spec("--mail-type=NONE,END", "job.sh").mailType(), "NONE ends the list");
        assertNull(spec("--mail-user=bob", "job.sh").mailType());
        assertNull(spec("job.sh").mailUser());
        assertTrue(parse("--mail-type=END", "--mail-user=bob", "job.sh").warnings().isEmpty(), "no warning now");
    }

    @Test
    void scriptLinesAndTheCommandLineSetThemTheCommandLineLast() throws Exception {
        JobSpec fromScript = withScript("#SBATCH --mail-type=BEGIN,END\n#SBATCH --mail-user=carol@example.org\n",
                "s.sh");
        assertEquals(List.of("BEGIN", "END"), fromScript.mailType());
        assertEquals("carol@example.org", fromScript.mailUser());
        JobSpec overridden = withScript("#SBATCH --mail-type=BEGIN\n#SBATCH --mail-user=carol\n",
                "--mail-type=FAIL", "--mail-user=dave", "s.sh");
        assertEquals(List.of("FAIL"), overridden.mailType());
        assertEquals("dave", overridden.mailUser());
    }

    @Test
    void aTypeSlurmDoesNotKnowIsSlurmsErrorAndNothingIsSubmitted() {
        assertEquals("Invalid --mail-type specification", error("--mail-type=sometimes", "job.sh"));
        assertEquals("Invalid --mail-type specification", error("--mail-type=", "job.sh"));
        files.put("m.sh", "#!/bin/sh\n#SBATCH --mail-type=always\n");
        assertEquals("Invalid --mail-type specification", error("m.sh"));
        assertEquals("option '--mail-user' requires an argument\n" + SbatchCommandLine.TRY_HELP,
                error("--mail-user"));
    }

    @Test
    void sallocAndSrunOutsideAJobPassThemToTheirJob() throws Exception {
        SallocCommandLine salloc = SallocCommandLine.parse(List.of("--mail-type=END", "--mail-user=erin", "-N1",
                "hostname"));
        List<String> argv = new ArrayList<>(salloc.allocation());
        argv.addAll(List.of("--wrap", "true"));
        JobSpec job = SbatchCommandLine.parseSalloc(argv, ENV, CWD, "alice", "login1", CLOCK).spec();
        assertEquals(List.of("END"), job.mailType());
        assertEquals("erin", job.mailUser());

        SrunOptions srun = SrunOptions.parse(List.of("--mail-type=BEGIN,FAIL", "--mail-user=frank", "hostname"),
                Map.of(), CLOCK);
        assertTrue(srun.notes().isEmpty(), "no warning: " + srun.notes());
        List<String> srunArgv = new ArrayList<>(srun.allocation());
        srunArgv.addAll(List.of("--wrap", "hostname"));
        JobSpec srunJob = SbatchCommandLine.parseAllocation(srunArgv, ENV, CWD, "alice", "login1", CLOCK).spec();
        assertEquals(List.of("BEGIN", "FAIL"), srunJob.mailType());
        assertEquals("frank", srunJob.mailUser());
        List<String> bad = new ArrayList<>(SrunOptions.parse(List.of("--mail-type=later", "hostname"), Map.of(),
                CLOCK).allocation());
        bad.addAll(List.of("--wrap", "hostname"));
        assertEquals("Invalid --mail-type specification", assertThrows(SlurmUsageException.class,
                () -> SbatchCommandLine.parseAllocation(bad, ENV, CWD, "alice", "login1", CLOCK)).getMessage());
    }

    @Test
    void scontrolShowsTheRecipientAndTheTypesAsSlurmPrintsThemOnlyForAMailedJob() {
        JobSpec plain = JobSpec.builder().name("job.sh").user("alice").script("#!/bin/sh\ntrue\n")
                .workDir("/home/alice/work").build();
        // Slurm leaves the line out for a job mailed for nothing (mail_type 0), so Cadre's MailType=NONE went.
        assertFalse(show(plain).contains("MailUser="), show(plain));
        assertFalse(show(plain.toBuilder().mailUser("g@example.org").build()).contains("MailUser="),
                "a recipient alone is mailed nothing");
        JobSpec mailed = plain.toBuilder().mailType(List.of("END", "BEGIN", "ALL")).mailUser("g@example.org").build();
        assertTrue(show(mailed).contains("\n   MailUser=g@example.org MailType=INVALID_DEPEND,BEGIN,END,FAIL,REQUEUE,"
                + "STAGE_OUT\n"), show(mailed));
    }

    private static String show(JobSpec spec) {
        JobRecord j = new JobRecord(3, "k3", spec, JobState.PENDING, "Priority", 0, null, false, null, null,
                Instant.parse("2026-03-10T14:00:00Z"), null, null, null, null);
        return ScontrolJobFormat.render(Json.parse(MessageCodec.encodeValue(JobSummary.detail(j, List.of()))),
                Instant.parse("2026-03-10T14:30:00Z"), ZoneOffset.UTC);
    }
}
