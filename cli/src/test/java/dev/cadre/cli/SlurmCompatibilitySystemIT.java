package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.hosts.MpiRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Realistic Slurm batch scripts, unmodified, through sbatch against 'cadre up' with four cores: a serial job,
 * OpenMP with --cpus-per-task, MPI through mpirun and through srun, an array with a %limit, a dependency chain,
 * every time format, output patterns; checked by their output, final states and environment. One head serves
 * them all, and they run side by side.
 */
class SlurmCompatibilitySystemIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The tests run as root in CI; Open MPI refuses that unless told, in the environment as sites do. */
    private static final Map<String, String> MPI_ENV = Map.of("OMPI_ALLOW_RUN_AS_ROOT", "1",
            "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", "OMPI_MCA_mpi_yield_when_idle", "1");
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4", "--cluster", "compat");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    private static Path script(String name, String text) throws Exception {
        Path p = cadre.workDir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static long submit(Map<String, String> env, String... args) throws Exception {
        CadreProcess.Result r = cadre.run(env, "sbatch", args);
        assertTrue(r.exit() == 0 && r.out().startsWith("Submitted batch job "), r.toString());
        return Long.parseLong(r.out().trim().substring("Submitted batch job ".length()));
    }

    private static String output(String name) {
        return CadreProcess.read(cadre.workDir.resolve(name));
    }

    @Test
    void aSerialScriptReadsItsDirectivesAsSlurmDoesAndSeesSlurmsEnvironment() throws Exception {
        Path job = script("serial.sh", """
                #!/bin/bash
                # A comment, then directives: several on a line, attached short values.
                #SBATCH --job-name=serial -n1 -c 1
                #SBATCH -t00:20:00 --mem=64M
                #SBATCH -o %x-%j.out
                   # an indented comment does not end the directives; the first command does
                #SBATCH --comment="no mail"
                echo "job=$SLURM_JOB_ID name=$SLURM_JOB_NAME tasks=$SLURM_NTASKS nodes=$SLURM_NNODES"
                echo "nodelist=$SLURM_JOB_NODELIST tpn=$SLURM_TASKS_PER_NODE cpt=$SLURM_CPUS_PER_TASK"
                echo "partition=$SLURM_JOB_PARTITION cluster=$SLURM_CLUSTER_NAME submit=$SLURM_SUBMIT_DIR"
                echo "procid=$SLURM_PROCID limit=$SBATCH_TIMELIMIT mem=$SLURM_MEM_PER_NODE"
                #SBATCH -J never-read
                """);
        CadreProcess.Result r = cadre.run("sbatch", "-J", "cli-name", job.toString());
        assertEquals("", r.err().replace("sbatch: warning: --comment is ignored: Cadre keeps no job comments\n",
                ""), "the comment is noted once: " + r.err());
        long id = Long.parseLong(r.out().trim().replace("Submitted batch job ", ""));
        cadre.awaitState(id, "COMPLETED", WAIT);
        String host = CadreProcess.read(cadre.workDir.resolve("cli-name-" + id + ".out")).lines()
                .filter(l -> l.startsWith("nodelist=")).findFirst().orElseThrow().split("[= ]")[1];
        assertEquals("job=" + id + " name=cli-name tasks=1 nodes=1\n"
                + "nodelist=" + host + " tpn=1 cpt=1\n"
                + "partition=batch cluster=compat submit=" + cadre.workDir + "\n"
                + "procid=0 limit=20 mem=64\n", output("cli-name-" + id + ".out"));
        assertEquals(id + "|cli-name|COMPLETED|0:0|00:20:00", cadre.ok("sacct", "-j", "" + id, "-X", "-n", "-P",
                "-o", "JobID,JobName,State,ExitCode,Timelimit").out().trim());
        assertEquals(List.of(id + "|COMPLETED", id + ".batch|COMPLETED"), cadre.ok("sacct", "-j", "" + id, "-n",
                "-P", "-o", "JobID,State").out().lines().toList());
    }

    @Test
    void openMpUsesTheCpusPerTask() throws Exception {
        Path source = script("omp.c", """
                #include <omp.h>
                #include <stdio.h>
                int main(void) {
                    int n = 0;
                    #pragma omp parallel
                    {
                        #pragma omp atomic
                        n++;
                    }
                    printf("threads=%d max=%d\\n", n, omp_get_max_threads());
                    return 0;
                }
                """);
        Process cc = new ProcessBuilder("gcc", "-fopenmp", "-o", cadre.workDir.resolve("omp").toString(),
                source.toString()).inheritIO().start();
        assertEquals(0, cc.waitFor());
        script("omp.sh", """
                #!/bin/bash
                #SBATCH --cpus-per-task=2 --ntasks=1
                #SBATCH --output=omp-%j.out
                export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK
                ./omp
                """);
        long id = cadre.sbatch("omp.sh");
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("threads=2 max=2\n", output("omp-" + id + ".out"));
    }

    @Test
    void mpiThroughMpirunAndThroughSrun() throws Exception {
        MpiRing.assumeAvailable();
        MpiRing.compile(cadre.workDir);
        script("mpi.sh", """
                #!/bin/bash
                #SBATCH -n 3 -J ring -o ring-%j.out
                mpirun ./ring | sort
                echo "mpirun exit ${PIPESTATUS[0]}"
                srun ./ring | sort
                echo "srun exit ${PIPESTATUS[0]}"
                srun --mpi=none -l bash -c 'echo "task $SLURM_PROCID local $SLURM_LOCALID node $SLURM_NODEID of $SLURM_NTASKS step $SLURM_STEP_ID"' | sort
                """);
        long id = submit(MPI_ENV, "mpi.sh");
        cadre.awaitState(id, "COMPLETED", WAIT);
        String out = output("ring-" + id + ".out");
        List<String> lines = out.lines().filter(l -> !l.startsWith("rank ")).toList();
        assertEquals(List.of("token 3 after 3 ranks (expected 3)", "mpirun exit 0",
                "token 3 after 3 ranks (expected 3)", "srun exit 0",
                "0: task 0 local 0 node 0 of 3 step 1", "1: task 1 local 1 node 0 of 3 step 1",
                "2: task 2 local 2 node 0 of 3 step 1"), lines, out);
        assertEquals(6, out.lines().filter(l -> l.matches("rank [0-2] of 3 on .+")).count(), out);
    }

    @Test
    void anArrayRunsAtMostItsLimitAtOnceAndEachTaskKnowsItself() throws Exception {
        script("array.sh", """
                #!/bin/bash
                #SBATCH --array=1-6%2 -o arr-%A_%a.out
                mkdir -p running && touch running/$SLURM_ARRAY_TASK_ID
                echo "task=$SLURM_ARRAY_TASK_ID of=$SLURM_ARRAY_JOB_ID count=$SLURM_ARRAY_TASK_COUNT max=$SLURM_ARRAY_TASK_MAX at_once=$(ls running | wc -l)"
                sleep 1
                rm running/$SLURM_ARRAY_TASK_ID
                """);
        long id = cadre.sbatch("array.sh");
        CadreProcess.await("the array's pending tasks to show as Slurm shows them", WAIT, () -> {
            try {
                return cadre.ok("squeue", "-h", "-j", "" + id, "-t", "PD", "-o", "%i").out()
                        .matches(id + "_\\[[3-6](-6)?%2\\]\n");
            } catch (Exception e) {
                return false;
            }
        });
        CadreProcess.await("every task to end", WAIT, () -> {
            try {
                return cadre.ok("sacct", "-X", "-n", "-P", "-j", "" + id, "-o", "State").out()
                        .equals("COMPLETED\n".repeat(6));
            } catch (Exception e) {
                return false;
            }
        });
        for (int task = 1; task <= 6; task++) {
            String out = output("arr-" + id + "_" + task + ".out");
            assertTrue(out.startsWith("task=" + task + " of=" + id + " count=6 max=6 at_once="), out);
            assertTrue(Integer.parseInt(out.trim().substring(out.trim().lastIndexOf('=') + 1)) <= 2, out);
        }
    }

    @Test
    void aDependencyChainRunsInOrderAndADependencyThatCannotHoldCancels() throws Exception {
        long first = cadre.sbatch("--wrap", "sleep 1; date +%s%N > first.t");
        String second = cadre.ok("sbatch", "--parsable", "-d", "afterok:" + first, "--wrap",
                "date +%s%N > second.t; exit 3").out().trim();
        String third = cadre.ok("sbatch", "--parsable", "--dependency=afterany:" + second, "--wrap",
                "date +%s%N > third.t").out().trim();
        String never = cadre.ok("sbatch", "--parsable", "--dependency=afternotok:" + first, "--wrap", "true").out()
                .trim();
        cadre.awaitState(Long.parseLong(third), "COMPLETED", WAIT);
        assertEquals("COMPLETED", cadre.state(first));
        assertEquals("FAILED", cadre.state(Long.parseLong(second)));
        cadre.awaitState(Long.parseLong(never), "CANCELLED", WAIT);
        long t1 = Long.parseLong(output("first.t").trim());
        long t2 = Long.parseLong(output("second.t").trim());
        long t3 = Long.parseLong(output("third.t").trim());
        assertTrue(t1 < t2 && t2 < t3, t1 + " " + t2 + " " + t3);
    }

    @Test
    void aftercorrRunsEachTaskAfterItsPartnerAndCancelsTheOneWhosePartnerFailed() throws Exception {
        String first = cadre.ok("sbatch", "--parsable", "--array=0-2", "--wrap",
                "sleep 1; test $SLURM_ARRAY_TASK_ID != 1").out().trim();
        String second = cadre.ok("sbatch", "--parsable", "--array=0-2", "-d", "aftercorr:" + first, "--wrap",
                "true").out().trim();
        List<String> expected = List.of(second + "_0|COMPLETED", second + "_1|CANCELLED", second + "_2|COMPLETED");
        CadreProcess.await("the dependent tasks to end as their partners did", WAIT, () -> {
            try {
                return cadre.ok("sacct", "-X", "-n", "-P", "-j", second, "-o", "JobID,State").out().lines()
                        .map(l -> l.replaceAll(" by .*", "")).sorted().toList().equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(List.of(first + "_0|COMPLETED", first + "_1|FAILED", first + "_2|COMPLETED"),
                cadre.ok("sacct", "-X", "-n", "-P", "-j", first, "-o", "JobID,State").out().lines().sorted()
                        .toList());
    }

    @Test
    void anSrunStepOverTheJobsMemoryRequestEndsItOutOfMemoryInsideSbatchAndAlone() throws Exception {
        // The usual pattern, #SBATCH --mem then srun ./app: the step's tasks run through the node's exec service,
        // not under the script, and still count against the job's request (review 110, finding 1).
        String hog = "python3 -c 'import time; x = b\"1\" * (300 << 20); time.sleep(60)'";
        long batch = cadre.sbatch("--mem=100M", "-t", "2", "--wrap", "srun " + hog);
        cadre.awaitState(batch, "OUT_OF_MEMORY", WAIT);
        assertTrue(cadre.ok("sacct", "-j", "" + batch, "-X", "-n", "-P", "-o", "State").out().startsWith(
                "OUT_OF_MEMORY"));
        CadreProcess.Result alone = cadre.run("srun", "-J", "oom-alone", "--mem=50M", "-t", "2", "python3", "-c",
                "import time; x = b'1' * (200 << 20); time.sleep(60)");
        assertTrue(alone.exit() != 0, alone.toString());
        String states = cadre.ok("sacct", "-n", "-X", "-P", "-o", "JobName,State").out();
        assertTrue(states.contains("oom-alone|OUT_OF_MEMORY"), states);
    }

    @Test
    void everyTimeFormatGivesTheLimitSlurmWouldGive() throws Exception {
        String[][] cases = {{"30", "30:00"}, {"5:30", "5:30"}, {"1:02:03", "1:02:03"}, {"2-0", "2-00:00:00"},
            {"2-3", "2-03:00:00"}, {"1-2:30", "1-02:30:00"}, {"1-02:30:00", "1-02:30:00"},
            {"UNLIMITED", "UNLIMITED"}, {"0", "UNLIMITED"}};
        List<Long> held = new ArrayList<>();
        for (String[] c : cases) {
            long id = cadre.sbatch("--hold", "-t", c[0], "--wrap", "true");
            held.add(id);
            assertEquals(c[1] + "\n", cadre.ok("squeue", "-h", "-j", "" + id, "-o", "%l").out(), "-t " + c[0]);
        }
        long attached = cadre.sbatch("--hold", "-t00:20:00", "--begin=now+1hour", "--wrap", "true");
        held.add(attached);
        assertTrue(cadre.ok("squeue", "-h", "-j", "" + attached, "-o", "%l %t %r").out()
                .matches("20:00 PD (JobHeldUser|BeginTime)\n"));
        assertEquals(new CadreProcess.Result(1, "", "sbatch: error: Invalid --time specification\n"),
                cadre.run("sbatch", "-t", "1:2:3:4", "--wrap", "true"));
        cadre.ok("scancel", held.stream().map(String::valueOf).toArray(String[]::new));
    }

    @Test
    void outputPatternsAreExpandedAsSlurmExpandsThem() throws Exception {
        long id = cadre.sbatch("-J", "pat", "-o", "o_%x_%j_%u_%%.txt", "-e", "e_%j_%5j_%N.txt", "--wrap",
                "echo out; echo err >&2");
        cadre.awaitState(id, "COMPLETED", WAIT);
        String user = System.getProperty("user.name");
        assertEquals("out\n", output("o_pat_" + id + "_" + user + "_%.txt"));
        try (var files = Files.list(cadre.workDir)) {
            String err = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("e_" + id + "_")).findFirst().orElseThrow();
            assertTrue(err.matches("e_" + id + "_" + "0".repeat(Math.max(0, 5 - Long.toString(id).length())) + id
                    + "_.+\\.txt"), err);
            assertEquals("err\n", output(err));
        }
    }
}
