package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The directory and the stream paths sbatch sends: absolute, without '..', and none as /dev/null. */
class SbatchPathsTest extends SbatchFixture {

    @Test
    void outputPathsFollowTheFinalDirectory() throws Exception {
        JobSpec spec = withScript("#SBATCH -o log/%x-%j.out\n", "-D", "/scratch/run", "s.sh");
        assertEquals("/scratch/run/log/%x-%j.out", spec.stdout());
    }

    @Test
    void noneMeansDevNull() throws Exception {
        JobSpec spec = spec("-o", "none", "-e", "NONE", "-i", "None", "job.sh");
        assertEquals("/dev/null", spec.stdout());
        assertEquals("/dev/null", spec.stderr());
        assertEquals("/dev/null", spec.stdin());
    }

    @Test
    void pathsAreSentAbsoluteAndWithoutDotDotAsTheHeadTakesThem() throws Exception {
        assertEquals("/home/alice/other", spec("-D", "../other", "job.sh").workDir());
        assertEquals("/home/alice", spec("-D", "..", "job.sh").workDir());
        assertEquals("/", spec("-D", "/", "-o", "x", "job.sh").workDir());
        assertEquals("/x", spec("-D", "/", "-o", "x", "job.sh").stdout());
        JobSpec spec = spec("-o", "../logs/%x-%j.out", "-e", "./../../err_%A_%a.%%", "-i", "../in//data.txt",
                "job.sh");
        assertEquals("/home/alice/logs/%x-%j.out", spec.stdout());
        assertEquals("/home/err_%A_%a.%%", spec.stderr());
        assertEquals("/home/alice/in/data.txt", spec.stdin());
        // Relative to -D, itself made absolute first: not the two texts one after the other.
        spec = withScript("#SBATCH -o ../logs/%j.out\n", "-D", "../sub/.", "s.sh");
        assertEquals("/home/alice/sub", spec.workDir());
        assertEquals("/home/alice/logs/%j.out", spec.stdout());
        assertEquals("/", spec("-D", "../../../..", "job.sh").workDir(), "no higher than the root");
        assertEquals("/tmp/o-%j", spec("-o", "/tmp/x/../o-%j", "job.sh").stdout());
        assertEquals(List.of(), JobSpecValidator.validate(spec("-D", "..", "-o", "../%x.out",
                "-e", "../e", "-i", "../i", "job.sh")), "the head takes them");
        files.put("../job.sh", PLAIN);
        assertEquals(CWD + "/../job.sh", spec("../job.sh").environment().get(SbatchCommandLine.SCRIPT_PATH_VARIABLE),
                "the script's path is only shown, and shown as given");
    }
}
