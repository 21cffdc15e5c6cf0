package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * srun's I/O options through real tasks: -i (srun's standard input when it is a file, a task id, a file pattern,
 * a pipe forwarded inside a job), --multi-prog and --open-mode=append, outside a job (srun submits one running srun) and inside
 * a batch job.
 */
class SrunInputSystemIT {
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");

    private static List<String> sorted(String text) {
        return text.lines().sorted().toList();
    }

    @Test
    void standardInputFromAFileReachesTheTasksItIsMeantFor() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        CadreProcess.Result all = cadre.runWithInput("one\ntwo\n", "srun", "-n", "2", "-l", "cat");
        assertEquals(0, all.exit(), all.toString());
        assertEquals(List.of("0: one", "0: two", "1: one", "1: two"), sorted(all.out()), all.toString());

        CadreProcess.Result one = cadre.runWithInput("only\n", "srun", "-n", "2", "-l", "-i", "1", "bash", "-c",
                "echo got:$(cat)");
        assertEquals(0, one.exit(), one.toString());
        assertEquals(List.of("0: got:", "1: got:only"), sorted(one.out()), one.toString());

        Files.writeString(cadre.workDir.resolve("in-0.txt"), "zero\n");
        Files.writeString(cadre.workDir.resolve("in-1.txt"), "first\n");
        CadreProcess.Result pattern = cadre.run("srun", "-n", "2", "-l", "--input=in-%t.txt", "cat");
        assertEquals(List.of("0: zero", "1: first"), sorted(pattern.out()), pattern.toString());

        CadreProcess.Result missing = cadre.run("srun", "-i", "no-such-input.txt", "cat");
        assertEquals(new CadreProcess.Result(1, "", "srun: error: --input=no-such-input.txt: cannot read "
                + cadre.workDir.resolve("no-such-input.txt") + ": No such file or directory\n"), missing);
    }

    @Test
    void insideABatchJobAPipeAndTheJobsInputFileAreForwarded() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        Path input = cadre.workDir.resolve("job-input.txt");
        Files.writeString(input, "from the job's input\n");
        CadreProcess.Result r = cadre.run("sbatch", "-W", "-n", "2", "-i", input.toString(), "-o", "job.out",
                "--wrap", "srun -l cat | sort; echo piped | srun cat; echo rc=$?; echo piped | srun -i none cat;"
                        + " echo none=$?");
        assertEquals(0, r.exit(), r.toString());
        List<String> out = Files.readAllLines(cadre.workDir.resolve("job.out"));
        assertEquals(List.of("0: from the job's input", "1: from the job's input", "piped", "piped", "rc=0",
                "none=0"), out);
    }

    @Test
    void multiProgGivesEachTaskItsLine() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        Files.writeString(cadre.workDir.resolve("mpmd.conf"), "# two programs\n0 echo first %t\n* echo rest %t %o\n");
        CadreProcess.Result r = cadre.run("srun", "-n", "3", "-l", "--multi-prog", "mpmd.conf");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("0: first 0", "1: rest 1 0", "2: rest 2 1"), sorted(r.out()), r.toString());

        Files.writeString(cadre.workDir.resolve("short.conf"), "0 true\n");
        CadreProcess.Result refused = cadre.run("srun", "-n", "2", "--multi-prog", "short.conf");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("srun: error: Configuration file " + cadre.workDir.resolve("short.conf")
                + " invalid, no record for task id 1\n"), refused.toString());
    }

    @Test
    void openModeAppendKeepsWhatTheOutputFileHeld() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        Path log = cadre.workDir.resolve("kept.txt");
        Files.writeString(log, "earlier\n");
        CadreProcess.Result r = cadre.run("srun", "-o", "kept.txt", "--open-mode=append", "echo", "later");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("earlier\nlater\n", Files.readString(log));
        cadre.ok("srun", "-o", "kept.txt", "echo", "alone");
        assertEquals("alone\n", Files.readString(log), "truncate stays the default");
    }
}
