package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory and GPUs asked for the Slurm ways (per node, per CPU, per job, per task) as Cadre's memory per node and
 * GPUs per task; and the directives sbatch cannot read.
 */
class SbatchResourcesTest extends SbatchFixture {

    @Test
    void memoryPerCpuIsPerNodeTimesTheCpusOfTheBusiestNode() throws Exception {
        assertEquals(2048L, spec("--mem-per-cpu=1G", "-c", "2", "job.sh").memoryMb());
        assertEquals(4096L, spec("--mem-per-cpu=512", "-n", "8", "job.sh").memoryMb(), "8 tasks may share a node");
        assertEquals(2048L, spec("--mem-per-cpu=512", "-n", "8", "-N", "2", "job.sh").memoryMb());
        assertEquals(1536L, spec("--mem-per-cpu=256", "-n", "8", "--ntasks-per-node=3", "-c", "2", "job.sh")
                .memoryMb());
        assertEquals("Invalid --mem-per-cpu specification", error("--mem-per-cpu=lots", "job.sh"));
    }

    /**
     * The head refuses a memoryMb other than what memoryPerCpuMb comes to (JobSpecValidator): every shape sbatch
     * makes must be one it takes, and the same spec with another memoryMb one it refuses.
     */
    @Test
    void everyPerCpuShapeSbatchMakesIsOneTheHeadTakes() throws Exception {
        files.put("a.sh", "#!/bin/sh\n#SBATCH --mem-per-cpu=300 -n 5 -c 3\n");
        List<List<String>> shapes = List.of(List.of("-c", "2"), List.of("-n", "8"), List.of("-n", "7", "-N", "3"),
                List.of("-N", "2"), List.of("-N", "2-4", "-n", "9"), List.of("--ntasks-per-node=3", "-N", "2"),
                List.of("-n", "8", "--ntasks-per-node=3", "-c", "2"), List.of("-n", "2", "--ntasks-per-node=5"),
                List.of("--exclusive", "-n", "4"), List.of("--exclusive", "-N", "2", "-c", "16"),
                List.of("--array=0-99%4", "-n", "3"), List.of("-w", "n[1-3]", "-n", "7"),
                List.of("-w", "n[1-2]", "--ntasks-per-node=2"), List.of("--gpus=4", "--ntasks-per-gpu=1"),
                List.of("--gres=gpu:2", "--ntasks-per-gpu=1", "-N", "3"), List.of("--gpus-per-task=2",
                        "--cpus-per-gpu=3", "-n", "5", "-N", "2"), List.of("-G", "6", "--cpus-per-gpu=2", "-n", "3"));
        for (String perCpu : List.of("1", "700", "1G", "3T")) {
            for (List<String> shape : shapes) {
                List<String> argv = new ArrayList<>(shape);
                argv.add(0, "--mem-per-cpu=" + perCpu);
                argv.add("job.sh");
                JobSpec made = spec(argv.toArray(String[]::new));
                assertEquals(List.of(), JobSpecValidator.validate(made), argv + " made " + made);
                JobSpec off = made.toBuilder().memoryMb(made.memoryMb() + 1).build();
                assertEquals(List.of("spec.memoryPerCpuMb"), JobSpecValidator.validate(off).stream()
                        .map(JobSpecValidator.Problem::field).toList(), argv + " with memoryMb one more");
            }
        }
        JobSpec fromScript = spec("a.sh");
        assertEquals(4500L, fromScript.memoryMb(), "300 MiB x 5 tasks x 3 CPUs, all on one node");
        assertEquals(List.of(), JobSpecValidator.validate(fromScript));
        assertEquals(List.of(), JobSpecValidator.validate(spec("-N", "5", "a.sh")));
        assertEquals(List.of(), JobSpecValidator.validate(spec("--mem-per-cpu=0", "-n", "4", "job.sh")),
                "all of each node's memory: exclusive, with no per-CPU figure");
    }

    @Test
    void memoryPerCpuIsKeptForAnExclusiveJobsNodesToEnforcePerCpuThere() throws Exception {
        var exclusive = spec("--exclusive", "-n", "4", "--mem-per-cpu=1G", "job.sh");
        assertEquals(4096L, exclusive.memoryMb(), "placement goes by the CPUs asked for");
        assertEquals(1024L, exclusive.memoryPerCpuMb());
        assertEquals(null, spec("--exclusive", "--mem=4G", "job.sh").memoryPerCpuMb());
        assertEquals(null, withScript("#SBATCH --mem-per-cpu=1G\n", "--mem=100", "s.sh").memoryPerCpuMb());
    }

    @Test
    void theLastMemoryOptionWinsAsTheCommandLineOverridesTheScript() throws Exception {
        assertEquals(100L, withScript("#SBATCH --mem-per-cpu=1G\n", "--mem=100", "s.sh").memoryMb());
        assertEquals(1024L, withScript("#SBATCH --mem=100\n", "--mem-per-cpu=1G", "s.sh").memoryMb());
    }

    @Test
    void gresGpusAreCountedPerNodeAndSharedByItsTasks() throws Exception {
        assertEquals(2, spec("--gres=gpu:2", "job.sh").gpusPerTask());
        assertEquals(1, spec("--gres=gpu", "job.sh").gpusPerTask());
        assertEquals(1, spec("--gres=gpu:a100", "job.sh").gpusPerTask());
        assertEquals(2, spec("--gres=gpu:a100:4", "--ntasks-per-node=2", "-N", "2", "job.sh").gpusPerTask());
        assertEquals(1, spec("--gres=gpu:4", "-n", "8", "-N", "2", "job.sh").gpusPerTask());
        assertEquals("Invalid generic resource (gres) specification", error("--gres=mps:100", "job.sh"));
        assertEquals("--gres=gpu:3: 3 GPU(s) cannot be shared evenly by the 2 task(s) on each node; Cadre gives"
                + " each task whole GPUs (use --gpus-per-task)", error("--gres=gpu:3", "-n", "2", "job.sh"));
    }

    @Test
    void gpusAreCountedPerJob() throws Exception {
        assertEquals(4, spec("--gpus=4", "job.sh").gpusPerTask());
        assertEquals(2, spec("-G", "4", "-n", "2", "job.sh").gpusPerTask());
        assertEquals(2, spec("--gpus=v100:4", "-n", "2", "job.sh").gpusPerTask());
        assertEquals("--gpus=3: 3 GPU(s) cannot be shared evenly by the job's 2 task(s); Cadre gives each task"
                + " whole GPUs (use --gpus-per-task)", error("--gpus=3", "-n", "2", "job.sh"));
        assertEquals(3, spec("--gpus=4", "--gpus-per-task=3", "job.sh").gpusPerTask(), "the last one given wins");
    }

    @Test
    void aWordThatIsNotAnOptionInADirectiveEndsSbatchWith255() {
        files.put("bad.sh", "#!/bin/sh\n#SBATCH --mail-user=<your e-mail>\n#SBATCH -t 5\necho\n");
        SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> parse("bad.sh"));
        assertEquals(List.of("Invalid directive found in batch script: e-mail>"), e.lines());
        assertEquals(255, e.exitCode());
        assertEquals(1, assertThrows(SlurmUsageException.class, () -> parse("--bogus", "job.sh")).exitCode());
    }

    @Test
    void thePartitionIsTakenFromTheCommandLineOverTheScriptWithoutAWarning() throws Exception {
        files.put("p.sh", "#!/bin/sh\n#SBATCH -p gpu\n#SBATCH --partition=gpu,batch -A proj\n");
        SbatchRequest asked = parse("-p", "debug", "p.sh");
        assertEquals(List.of("sbatch: warning: --account is ignored: Cadre has no accounts"), asked.warnings());
        assertEquals("debug", asked.spec().partition(), "the command line's wins, as sbatch's");
        assertEquals("gpu,batch", parse("p.sh").spec().partition(), "the script's last, a list as given");
        assertEquals(null, parse("job.sh").spec().partition(), "none: the head's default");
    }
}
