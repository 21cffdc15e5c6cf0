package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How sbatch is invoked beyond a script file: the script on standard input, -Q, -W, and the texts it prints. */
class SbatchInvocationTest extends SbatchFixture {

    @Test
    void withoutScriptOrWrapTheScriptIsStandardInputAndTheJobIsNamedSbatch() throws Exception {
        files.put(null, "#!/bin/bash\n#SBATCH -t 5 -o here.out\nhostname\n");
        JobSpec spec = spec("-N", "1");
        assertEquals("sbatch", spec.name(), "Slurm's name for a script read on standard input");
        assertEquals("#!/bin/bash\n#SBATCH -t 5 -o here.out\nhostname\n", spec.script());
        assertEquals(300L, spec.timeLimitSeconds(), "#SBATCH lines on standard input count");
        assertEquals(CWD + "/here.out", spec.stdout());
        assertEquals(1, spec.nodes());
        assertEquals("other", spec("-J", "other").name(), "-J still names it");
    }

    @Test
    void aScriptOnStandardInputIsCheckedAsAFileIs() {
        files.put(null, "");
        assertEquals("Batch script is empty!", error());
        files.put(null, "echo no interpreter\n");
        assertTrue(error().startsWith("This does not look like a batch script."), error());
        files.put(null, "#!/bin/sh\n#SBATCH --mail-user=<your e-mail>\n");
        assertEquals("Invalid directive found in batch script: e-mail>", error());
        files.remove(null);
        assertEquals("Unable to read the batch script from standard input: No such file: null", error("-N", "1"));
    }

    @Test
    void helpUsageAndVersionArePrintedInsteadOfSubmittingWithoutReadingAScript() throws Exception {
        files.remove(null);
        assertEquals(SbatchHelp.HELP, parse("--help").help());
        assertEquals(SbatchHelp.HELP, parse("-N", "2", "-h", "missing.sh").help());
        assertEquals(SbatchHelp.USAGE, parse("--usage").help());
        assertEquals(SbatchHelp.USAGE, parse("-u").help());
        assertEquals("slurm 23.11.0 (cadre)\n", parse("-V").help());
        assertNull(parse("-V").spec());
        assertNull(parse("job.sh").help());
    }

    @Test
    void theHelpNamesEveryOptionCadreHonoursOrWarnsAbout() {
        for (String name : List.of("array", "begin", "cpus-per-task", "dependency", "kill-on-invalid-dep", "chdir",
                "error", "export", "hold", "input", "job-name", "nice", "ntasks", "ntasks-per-node", "nodes", "output",
                "open-mode", "parsable", "priority", "quiet", "requeue", "no-requeue", "signal", "time", "verbose",
                "wait", "wrap", "exclusive", "mem", "mem-per-cpu", "nodelist", "exclude", "gpus", "gpus-per-task",
                "gres", "help", "usage", "version")) {
            SbatchOption option = SbatchOption.byLongName(name);
            assertEquals(SbatchOption.Handling.USED, option.handling(), name);
            assertTrue(SbatchHelp.HELP.contains("--" + name), "--help lists --" + name);
        }
    }

    @Test
    void quietAndWaitAreTakenFromTheCommandLineAndTheScript() throws Exception {
        SbatchRequest plain = parse("job.sh");
        assertFalse(plain.quiet());
        assertFalse(plain.waitForEnd());
        SbatchRequest asked = parse("-Q", "-W", "-q", "debug", "job.sh");
        assertTrue(asked.quiet());
        assertTrue(asked.waitForEnd());
        assertEquals(List.of("sbatch: warning: --qos is ignored: Cadre has no QOS levels"), asked.warnings(),
                "the warnings are still made; sbatch does not print them with -Q");
        files.put("w.sh", "#!/bin/sh\n#SBATCH --wait --quiet\ntrue\n");
        assertTrue(parse("w.sh").waitForEnd());
        assertTrue(parse("w.sh").quiet());
    }
}
