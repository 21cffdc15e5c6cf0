package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * srun and salloc outside a job, each its own process against 'cadre up': an allocation of their own, the
 * tasks' output streamed or written to shared and per-task files, exit codes, and Ctrl-C on srun.
 */
class SrunSallocSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void srunOutsideAJobAllocatesRunsAndStreams() throws Exception {
        CadreProcess.Result r = cadre.run("srun", "-n", "2", "-l", "bash", "-c",
                "echo task $SLURM_PROCID of $SLURM_NTASKS; echo warn >&2");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("0: task 0 of 2", "1: task 1 of 2"), r.out().lines().sorted().toList());
        assertEquals(List.of("0: warn", "1: warn"), r.err().lines().filter(l -> !l.startsWith("srun: job "))
                .sorted().toList());
        CadreProcess.Result failed = cadre.run("srun", "bash", "-c", "exit 3");
        assertEquals(3, failed.exit(), failed.toString());
        assertTrue(failed.err().matches("srun: error: \\S+: task 0: Exited with exit code 3\n"), failed.err());
        try (var files = Files.list(cadre.workDir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".cadre-srun"))
                    .toList(), "srun removes the job's output files it followed");
        }
    }

    @Test
    void sallocRunsItsCommandInTheAllocationAndGivesItBack() throws Exception {
        CadreProcess.Result r = cadre.run("salloc", "-N", "1", "-n", "2", "bash", "-c",
                "echo job=$SLURM_JOB_ID tasks=$SLURM_NTASKS; srun -l bash -c 'echo rank $SLURM_PROCID' | sort");
        assertEquals(0, r.exit(), r.toString());
        List<String> out = r.out().lines().toList();
        assertEquals(3, out.size(), r.toString());
        assertTrue(out.get(0).matches("job=\\d+ tasks=2"), r.toString());
        String id = out.get(0).substring(4, out.get(0).indexOf(' '));
        assertEquals(List.of("0: rank 0", "1: rank 1"), out.subList(1, 3));
        List<String> said = r.err().lines().toList();
        assertEquals("salloc: Granted job allocation " + id, said.get(0), r.toString());
        assertTrue(said.get(1).matches("salloc: Nodes \\S+ are ready for job"), r.toString());
        assertEquals("salloc: Relinquishing job allocation " + id, said.get(said.size() - 1), r.toString());
        assertEquals(id + "|bash|COMPLETED", cadre.ok("sacct", "-X", "-n", "-P", "-j", id, "-o", "JobID,JobName,State")
                .out().trim());

        CadreProcess.Result failed = cadre.run("salloc", "-J", "seven", "bash", "-c", "exit 7");
        assertEquals(7, failed.exit(), failed.toString());
        CadreProcess.Result limited = cadre.run(Map.of("SALLOC_TIMELIMIT", "7", "SBATCH_TIMELIMIT", "9"), "salloc",
                "bash", "-c", "echo $SLURM_JOB_ID");
        assertEquals(0, limited.exit(), limited.toString());
        assertEquals("00:07:00", cadre.ok("sacct", "-X", "-n", "-P", "-j", limited.out().trim(), "-o", "Timelimit")
                .out().trim(), "SALLOC_TIMELIMIT set the limit, SBATCH_TIMELIMIT nothing");
        CadreProcess.Result fromInput = cadre.runWithInput("echo from input in $SLURM_JOB_ID\nexit 4\n", "salloc");
        assertEquals(4, fromInput.exit(), fromInput.toString());
        assertTrue(fromInput.out().matches("from input in \\d+\n"), fromInput.toString());
        CadreProcess.Result array = cadre.run("salloc", "--array=1-2", "true");
        assertEquals(new CadreProcess.Result(1, "", "salloc: unrecognized option '--array'\n"
                + "Try \"salloc --help\" for more information\n"), array);
        try (var files = Files.list(cadre.workDir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".cadre-salloc"))
                    .toList(), "salloc removes the job's output files it followed");
        }
    }

    @Test
    void srunTasksSharingAnOutputFileEachKeepTheirLines() throws Exception {
        Path shared = cadre.workDir.resolve("shared.txt");
        Files.writeString(shared, "left by an earlier run\n");
        CadreProcess.Result r = cadre.run("srun", "-n", "2", "-o", "shared.txt", "bash", "-c",
                "echo task $SLURM_PROCID");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("task 0", "task 1"), Files.readAllLines(shared).stream().sorted().toList());
        r = cadre.run("srun", "-n", "2", "-o", "own-%2t.txt", "bash", "-c", "echo task $SLURM_PROCID");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("task 1\n", Files.readString(cadre.workDir.resolve("own-01.txt")));
    }

    @Test
    void ctrlCOnSrunCancelsItsJob() throws Exception {
        Path log = cadre.workDir.getParent().resolve("srun.log");
        Process srun = cadre.startClient(log, "srun", "-J", "interrupted", "bash", "-c", "echo started; sleep 120");
        CadreProcess.await("srun's task to start", WAIT, () -> CadreProcess.read(log).contains("started"));
        new ProcessBuilder("kill", "-INT", Long.toString(srun.pid())).start().waitFor();
        assertTrue(srun.waitFor(30, TimeUnit.SECONDS), "srun ends on Ctrl-C");
        String id = cadre.ok("sacct", "-X", "-n", "-P", "--name", "interrupted", "-o", "JobID").out().trim();
        cadre.awaitState(Long.parseLong(id), "CANCELLED", WAIT);
        assertTrue(CadreProcess.read(log).contains("srun: forcing job termination"), CadreProcess.read(log));
    }
}
