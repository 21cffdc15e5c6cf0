package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * srun outside a job with its input variables: SLURM_DEPENDENCY, SLURM_NTASKS, SLURM_TIMELIMIT, SLURM_JOB_NAME,
 * SLURM_LABELIO and SLURM_WORKING_DIR shape the job it submits and its step, the command line wins over them, and a
 * bad value is refused, in srun's words and SLURM_EXIT_ERROR's code, with nothing submitted.
 */
class SrunInputEnvironmentSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern QUEUED = Pattern.compile("srun: job (\\d+) queued and waiting for resources");
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");

    @Test
    void variablesShapeTheJobAndItsStepUnderTheCommandLine() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        Files.createDirectories(cadre.workDir.resolve("sub"));
        long first = cadre.sbatch("-H", "--wrap", "true");
        Path log = cadre.workDir.getParent().resolve("env-srun.log");
        Process srun = cadre.startClient(Map.of("SLURM_DEPENDENCY", "afterok:" + first, "SLURM_NTASKS", "2",
                "SLURM_TIMELIMIT", "5", "SLURM_JOB_NAME", "env-sized", "SLURM_LABELIO", "1", "SLURM_WORKING_DIR",
                "sub"), log, "srun", "sh", "-c", "echo $SLURM_NTASKS ${PWD##*/}");
        CadreProcess.await("srun to say its job waits", WAIT, () -> QUEUED.matcher(CadreProcess.read(log)).find());
        Matcher m = QUEUED.matcher(CadreProcess.read(log));
        assertTrue(m.find());
        long id = Long.parseLong(m.group(1));
        String show = cadre.ok("scontrol", "show", "job", "" + id).out();
        assertTrue(show.contains("JobName=env-sized\n") && show.contains(" TimeLimit=00:05:00 ")
                && show.contains(" Dependency=afterok:" + first), show);
        assertEquals("PENDING", cadre.state(id));
        cadre.ok("scontrol", "release", "" + first);
        assertTrue(srun.waitFor(60, TimeUnit.SECONDS), "ends: " + CadreProcess.read(log));
        assertEquals(0, srun.exitValue(), CadreProcess.read(log));
        List<String> labelled = CadreProcess.read(log).lines().filter(l -> l.matches("\\d: .*")).sorted().toList();
        assertEquals(List.of("0: 2 sub", "1: 2 sub"), labelled, CadreProcess.read(log));

        CadreProcess.Result one = cadre.run(Map.of("SLURM_NTASKS", "2", "SLURM_JOB_NAME", "env-name"), "srun", "-n1",
                "-J", "line-name", "echo", "one");
        assertEquals(new CadreProcess.Result(0, "one\n", ""), one);
        assertEquals("", cadre.ok("sacct", "-X", "-n", "-P", "--name", "env-name", "-o", "JobID").out());
    }

    @Test
    void aBadValueIsRefusedWithNothingSubmitted() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        assertEquals(new CadreProcess.Result(1, "", "srun: error: Invalid --time specification\n"),
                cadre.run(Map.of("SLURM_TIMELIMIT", "soon", "SLURM_JOB_NAME", "bad-env"), "srun", "true"));
        assertEquals(new CadreProcess.Result(9, "", "srun: error: Invalid numeric value \"abc\" for --ntasks.\n"),
                cadre.run(Map.of("SLURM_NTASKS", "abc", "SLURM_EXIT_ERROR", "9", "SLURM_JOB_NAME", "bad-env"),
                        "srun", "true"));
        assertEquals(new CadreProcess.Result(1, "", "srun: error: SLURM_PROFILE is set: --profile is not"
                + " supported by this Cadre version; unset it to run srun here\n"),
                cadre.run(Map.of("SLURM_PROFILE", "all", "SLURM_JOB_NAME", "bad-env"), "srun", "true"));
        assertEquals("", cadre.ok("sacct", "-X", "-n", "-P", "--name", "bad-env", "-o", "JobID").out());
    }
}
