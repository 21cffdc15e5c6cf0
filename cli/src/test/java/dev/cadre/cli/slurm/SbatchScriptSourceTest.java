package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the script comes from (--wrap, a file), what a broken one is told, and its #SBATCH lines' errors. */
class SbatchScriptSourceTest extends SbatchFixture {

    @Test
    void directivesAfterTheFirstCommandAreIgnored() throws Exception {
        files.put("s.sh", "#!/bin/sh\n#SBATCH -N 2\necho\n#SBATCH -N 5\n");
        assertEquals(2, spec("s.sh").nodes());
    }

    @Test
    void wrapBuildsSlurmsScript() throws Exception {
        SbatchRequest request = parse("--wrap", "echo hi; sleep 1", "-N", "2");
        assertEquals("#!/bin/sh\n# This script was created by sbatch --wrap.\n\necho hi; sleep 1\n",
                request.spec().script());
        assertEquals("wrap", request.spec().name());
        assertEquals(List.of(), request.spec().args());
        assertEquals(2, request.spec().nodes());
        assertEquals("named", spec("--wrap=true", "-J", "named").name());
    }

    @Test
    void wrapWithAScriptIsRefused() {
        assertEquals("Script arguments not permitted with --wrap option", error("--wrap", "true", "job.sh"));
    }

    @Test
    void unreadableScript() {
        assertEquals("Unable to open file missing.sh", error("missing.sh"));
    }

    @Test
    void scriptWithoutInterpreterLine() {
        files.put("bad.sh", "echo hi\n");
        SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> parse("bad.sh"));
        assertEquals(List.of("This does not look like a batch script.  The first",
                "line must start with #! followed by the path to an interpreter.",
                "For instance: #!/bin/sh"), e.lines());
    }

    @Test
    void otherBrokenScripts() {
        files.put("empty.sh", "");
        files.put("blank.sh", " \n\t\n");
        files.put("dos.sh", "#!/bin/sh\r\necho\r\n");
        files.put("nul.sh", "#!/bin/sh\necho \0\n");
        assertEquals("Batch script is empty!", error("empty.sh"));
        assertEquals("Batch script contains only whitespace!", error("blank.sh"));
        assertEquals("Batch script contains DOS line breaks (\\r\\n)\ninstead of expected UNIX line breaks (\\n).",
                error("dos.sh"));
        assertEquals("The Slurm controller does not allow scripts that\ncontain a NULL character '\\0'.",
                error("nul.sh"));
    }

    @Test
    void directiveErrors() {
        files.put("d1.sh", "#!/bin/sh\n#SBATCH -N 2 oops\n");
        files.put("d2.sh", "#!/bin/sh\n#SBATCH --bogus\n");
        files.put("d3.sh", "#!/bin/sh\n#SBATCH -J \"open\n");
        files.put("d4.sh", "#!/bin/sh\n#SBATCH --mail-user=<your e-mail>\n");
        assertEquals("Invalid directive found in batch script: oops", error("d1.sh"));
        assertEquals("unrecognized option '--bogus'", getoptError("d2.sh"));
        assertEquals("d3.sh: line 2: Unmatched `\"` in [#SBATCH -J \"open]", error("d3.sh"));
        assertEquals("Invalid directive found in batch script: e-mail>", error("d4.sh"));
    }

    @Test
    void badValuesInTheScriptAreReported() {
        files.put("t.sh", "#!/bin/sh\n#SBATCH --time=soon\n");
        assertEquals("Invalid --time specification", error("t.sh"));
    }

    @Test
    void wrapInAScriptIsIgnored() throws Exception {
        files.put("w.sh", "#!/bin/sh\n#SBATCH --wrap=\"rm -rf /\"\n#SBATCH -J kept\n");
        JobSpec spec = spec("w.sh");
        assertEquals("kept", spec.name());
        assertEquals("#!/bin/sh\n#SBATCH --wrap=\"rm -rf /\"\n#SBATCH -J kept\n", spec.script());
    }
}
