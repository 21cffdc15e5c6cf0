package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * srun -n N inside a batch job through bin/cadre, on a node binding on this machine's CPUs (cadre node --cores N
 * --gpus 4, N the CPUs up to four): each task runs on a CPU of its own and is told so in SLURM_CPU_BIND;
 * --cpu-bind=none leaves each on the job's CPUs; --cpu-bind=verbose writes Slurm's line for each task;
 * --gpus-per-task=1 gives each task a GPU of its own, where without it every task sees the job's.
 */
class SrunTaskBindingSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** What each task writes: its task id, its CPUs, its GPUs, its binding. */
    private static final String SEE = "sh -c 'echo $SLURM_PROCID $(grep Cpus_allowed_list /proc/self/status | cut -f2)"
            + " ${CUDA_VISIBLE_DEVICES-none} ${SLURM_CPU_BIND-unset}'";

    @Test
    void eachTaskOfAStepRunsOnItsOwnCpuAndGpu() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        assumeTrue(cpus >= 2, "a step of two tasks at least, on CPUs of their own");
        int tasks = Math.min(4, cpus);
        Path base = Files.createTempDirectory("cadre-server-SrunTaskBindingSystemIT");
        CadreProcess cadre = new CadreProcess(base);
        try {
            cadre.startHead("server");
            cadre.startNode(base.resolve("node1"), "bindh1", List.of(), "--cores", "" + tasks, "--gpus", "4");
            String n = "" + tasks;
            long job = cadre.sbatch("-n", n, "--gpus", "4", "-D", base.toString(), "--wrap",
                    "srun -n " + n + " " + SEE + " > default.txt; srun -n " + n + " --cpu-bind=none " + SEE
                            + " > none.txt; srun -n " + n + " --cpu-bind=verbose true 2> verbose.txt; srun -n " + n
                            + " --gpus-per-task=1 " + SEE + " > gpus.txt; grep Cpus_allowed_list /proc/self/status"
                            + " | cut -f2 > job.txt");
            cadre.awaitState(job, "COMPLETED", WAIT);
            String jobCpus = Files.readString(base.resolve("job.txt")).strip();
            List<String> masks = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                masks.add("0x" + Integer.toHexString(1 << t));
            }
            assertEquals("0-" + (tasks - 1), jobCpus, "the job has the machine's first CPUs");
            List<String> byDefault = sorted(base.resolve("default.txt"));
            for (int t = 0; t < tasks; t++) {
                assertEquals(t + " " + t + " 0,1,2,3 quiet,mask_cpu:" + String.join(",", masks), byDefault.get(t));
            }
            for (String line : sorted(base.resolve("none.txt"))) {
                assertTrue(line.matches("\\d " + jobCpus + " 0,1,2,3 quiet,none"), line);
            }
            List<String> verbose = sorted(base.resolve("verbose.txt"));
            assertEquals(tasks, verbose.size(), "" + verbose);
            for (int t = 0; t < tasks; t++) {
                String expected = String.format("cpu-bind=MASK - bindh1, task %2d %2d \\[\\d+\\]: mask %s set", t, t,
                        masks.get(t));
                assertTrue(verbose.get(t).matches(expected), verbose.get(t) + " is not " + expected);
            }
            List<String> gpus = sorted(base.resolve("gpus.txt"));
            for (int t = 0; t < tasks; t++) {
                assertTrue(gpus.get(t).startsWith(t + " " + t + " " + t + " "), gpus.get(t));
            }
        } finally {
            cadre.close();
            CadreProcess.deleteTree(base);
        }
    }

    private static List<String> sorted(Path file) throws Exception {
        return Files.readAllLines(file).stream().sorted().toList();
    }
}
