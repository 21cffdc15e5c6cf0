package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void aPartitionOtherThanCadresIsNotedOnceAndTheWorkingOneSilently() throws Exception {
        files.put("p.sh", "#!/bin/sh\n#SBATCH -p gpu\n#SBATCH --partition=gpu -A proj\n");
        assertEquals(List.of("sbatch: warning: --partition is ignored: Cadre has one partition",
                "sbatch: warning: --account is ignored: Cadre has no accounts"), parse("-p", "debug", "p.sh")
                .warnings());
        assertEquals(List.of(), parse("-p", "batch", "job.sh").warnings());
    }
}
