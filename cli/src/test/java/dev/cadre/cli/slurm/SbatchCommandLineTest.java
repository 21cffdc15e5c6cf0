package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How sbatch words and #SBATCH lines become a job, and how bad ones are refused. */
class SbatchCommandLineTest extends SbatchFixture {

    @Test
    void plainScriptGetsSlurmDefaults() throws Exception {
        SbatchRequest request = parse("job.sh");
        JobSpec spec = request.spec();
        assertEquals("job.sh", spec.name());
        assertEquals("alice", spec.user());
        assertEquals("login1", spec.submitHost());
        assertEquals(PLAIN, spec.script());
        assertEquals(List.of(), spec.args());
        assertEquals(CWD, spec.workDir());
        assertEquals(JobSpec.KIND_EXEC, spec.kind());
        Map<String, String> env = new HashMap<>(ENV);
        env.put("SLURM_SUBMIT_DIR", CWD);
        env.put(SbatchCommandLine.SCRIPT_PATH_VARIABLE, CWD + "/job.sh");
        assertEquals(env, spec.environment());
        assertNull(spec.stdout());
        assertNull(spec.stderr());
        assertNull(spec.stdin());
        assertNull(spec.timeLimitSeconds());
        assertNull(spec.nodes());
        assertNull(spec.tasks());
        assertNull(spec.memoryMb());
        assertNull(spec.maxAttempts());
        assertFalse(request.parsable());
        assertEquals(List.of(), request.warnings());
    }

    @Test
    void nameIsTheScriptsBaseName() throws Exception {
        files.put("/opt/jobs/run.sh", PLAIN);
        assertEquals("run.sh", spec("/opt/jobs/run.sh").name());
    }

    @Test
    void wordsAfterTheScriptAreScriptArguments() throws Exception {
        JobSpec spec = spec("-N", "1", "job.sh", "-N", "3", "--array=1-4", "x");
        assertEquals(List.of("-N", "3", "--array=1-4", "x"), spec.args());
        assertEquals(1, spec.nodes());
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        files.put("-weird.sh", PLAIN);
        assertEquals("-weird.sh", spec("--", "-weird.sh").name());
    }

    @Test
    void mapsEveryJobOption() throws Exception {
        JobSpec spec = spec("-J", "big", "-t", "00:20:00", "-N", "2-4", "-n", "8", "-c", "2",
                "--ntasks-per-node=4", "--mem=2G", "--gpus-per-task=1", "-o", "out-%j.txt", "-e", "/abs/err",
                "-i", "in.txt", "-D", "sub", "job.sh");
        assertEquals("big", spec.name());
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals(2, spec.nodes());
        assertEquals(8, spec.tasks());
        assertEquals(2, spec.cpusPerTask());
        assertEquals(4, spec.tasksPerNode());
        assertEquals(2048L, spec.memoryMb());
        assertEquals(1, spec.gpusPerTask());
        assertEquals(CWD + "/sub", spec.workDir());
        assertEquals(CWD + "/sub/out-%j.txt", spec.stdout());
        assertEquals("/abs/err", spec.stderr());
        assertEquals(CWD + "/sub/in.txt", spec.stdin());
    }

    @Test
    void longOptionsTakeTheirValueEitherWay() throws Exception {
        JobSpec spec = spec("--job-name", "a", "--time=5", "--nodes=3", "--ntasks", "6", "--cpus-per-task=2",
                "--output=o", "--error", "e", "--input=i", "--chdir=/tmp", "job.sh");
        assertEquals("a", spec.name());
        assertEquals(300L, spec.timeLimitSeconds());
        assertEquals(3, spec.nodes());
        assertEquals(6, spec.tasks());
        assertEquals(2, spec.cpusPerTask());
        assertEquals("/tmp", spec.workDir());
        assertEquals("/tmp/o", spec.stdout());
        assertEquals("/tmp/e", spec.stderr());
        assertEquals("/tmp/i", spec.stdin());
    }

    @Test
    void shortOptionsTakeAttachedValuesAndCluster() throws Exception {
        JobSpec spec = spec("-t00:20:00", "-Jname", "-N2", "-vc4", "job.sh");
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals("name", spec.name());
        assertEquals(2, spec.nodes());
        assertEquals(4, spec.cpusPerTask());
    }

    @Test
    void aValueMayLookLikeAnOption() throws Exception {
        assertEquals("-x", spec("-J", "-x", "job.sh").name());
        assertEquals("--y", spec("--job-name", "--y", "job.sh").name());
    }

    @Test
    void theCommandLineOverridesTheScript() throws Exception {
        JobSpec spec = withScript("#SBATCH -J fromscript\n#SBATCH -t 5\n#SBATCH -N 2 --mem=1G\n", "-J", "cli",
                "--mem=3G", "s.sh");
        assertEquals("cli", spec.name());
        assertEquals(300L, spec.timeLimitSeconds());
        assertEquals(2, spec.nodes());
        assertEquals(3072L, spec.memoryMb());
    }

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
    void exportedShellFunctionsAndOddNamesTravelAsTheyAreAndTheHeadTakesThem() throws Exception {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "BASH_FUNC_module%%", "() {  eval \"$(lmod bash)\"\n}",
                "BASH_FUNC_which%%", "() {  ( alias; declare -f ) | /usr/bin/which \"$@\"\n}", "A-B", "1");
        for (String export : List.of("ALL", "ALL,X=1", "BASH_FUNC_module%%,A-B")) {
            JobSpec spec = SbatchCommandLine.parse(List.of("--export=" + export, "job.sh"), files::get, env, CWD,
                    "alice", "login1", CLOCK).spec();
            assertEquals("1", spec.environment().get("A-B"), export);
            assertEquals(env.get("BASH_FUNC_module%%"), spec.environment().get("BASH_FUNC_module%%"), export);
            assertEquals(List.of(), JobSpecValidator.validate(spec), export);
        }
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
    void ignoredOptionsWarnOncePerOption() throws Exception {
        files.put("w.sh", "#!/bin/sh\n#SBATCH -p gpu\n#SBATCH --account=proj\n");
        SbatchRequest request = parse("-p", "cpu", "-q", "high", "-C", "avx", "--comment", "hello", "w.sh");
        assertEquals(List.of(
                "sbatch: warning: --partition is ignored: Cadre has one partition",
                "sbatch: warning: --account is ignored: Cadre has no accounts",
                "sbatch: warning: --qos is ignored: Cadre has no QOS levels",
                "sbatch: warning: --constraint is ignored: Cadre nodes have no features",
                "sbatch: warning: --comment is ignored: Cadre keeps no job comments"), request.warnings());
        assertEquals(List.of("sbatch: warning: --account is ignored: Cadre has no accounts"),
                parse("-A", "x", "job.sh").warnings());
    }

    @Test
    void optionsForLaterVersionsAreRefused() {
        for (String[] argv : List.of(new String[] {"--deadline=noon"}, new String[] {"--gpus-per-socket=2"},
                new String[] {"--mem-per-gpu=1G"})) {
            String option = argv[0].startsWith("--") ? argv[0].replaceAll("=.*", "") : longNameOf(argv[0]);
            assertEquals(option + " is not supported by this Cadre version", error(append(argv, "job.sh")));
        }
    }

    @Test
    void hostListsAndExclusiveGoIntoTheSpec() throws Exception {
        JobSpec spec = parse("-w", "n[1-3],gpu07", "--exclude=n9", "--exclusive", "job.sh").spec();
        assertEquals(List.of("n1", "n2", "n3", "gpu07"), spec.nodelist());
        assertEquals(List.of("n9"), spec.exclude());
        assertEquals(Boolean.TRUE, spec.exclusive());
        assertEquals(Boolean.TRUE, parse("--exclusive=user", "job.sh").spec().exclusive());
        assertEquals("--nodelist=n[3-1]: " + errorOfHostList("n[3-1]"), error("--nodelist=n[3-1]", "job.sh"));
        assertTrue(error("-w", "/etc/hosts.txt", "job.sh").contains("reading host names from a file"));
    }

    private static String errorOfHostList(String expression) {
        try {
            HostList.expand(expression);
            return "accepted";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void otherRealSbatchOptionsAreRefusedToo() {
        assertEquals("--propagate is not supported by this Cadre version", error("--propagate=ALL", "job.sh"));
        assertEquals("--wait-all-nodes is not supported by this Cadre version", error("--wait-all=1", "job.sh"));
        assertEquals("--overcommit is not supported by this Cadre version", error("-O", "job.sh"));
    }

    @Test
    void refusedOptionsInTheScriptToo() {
        files.put("a.sh", "#!/bin/sh\n#SBATCH --deadline=noon\n");
        assertEquals("--deadline is not supported by this Cadre version", error("a.sh"));
    }

    @Test
    void getoptErrors() throws Exception {
        assertEquals("unrecognized option '--foo'", getoptError("--foo", "job.sh"));
        assertEquals("unrecognized option '--foo=bar'", getoptError("--foo=bar", "job.sh"));
        assertEquals("option '--tim' is ambiguous; possibilities: '--time' '--time-min'",
                getoptError("--tim=5", "job.sh"));
        assertEquals("option '--mem-per' is ambiguous; possibilities: '--mem-per-cpu' '--mem-per-gpu'",
                getoptError("--mem-per", "1G", "job.sh"));
        assertEquals("invalid option -- 'z'", getoptError("-z", "job.sh"));
        assertEquals("invalid option -- 'z'", getoptError("-vz", "job.sh"));
        assertEquals("option '--time' requires an argument", getoptError("--time"));
        assertEquals("option requires an argument -- 't'", getoptError("-t"));
        assertEquals("option '--parsable' doesn't allow an argument", getoptError("--parsable=yes", "job.sh"));
        assertEquals("option '--parsable' doesn't allow an argument", getoptError("--pars=yes", "job.sh"));
        assertEquals("option '--dependency' requires an argument", getoptError("--dep"));
        assertEquals("--reboot is not supported by this Cadre version", error("--reb", "job.sh"));
        assertTrue(parse("--test", "job.sh").testOnly(), "--test is --test-only, as getopt takes it");
        assertFalse(parse("job.sh").testOnly());
    }

    /** A complaint of getopt's: its text, then sbatch's line that points to --help. */
    private String getoptError(String... argv) {
        List<String> lines = assertThrows(SlurmUsageException.class, () -> parse(argv)).lines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("Try \"sbatch --help\" for more information", lines.get(1));
        return lines.get(0);
    }

    @Test
    void longOptionsTakeUnambiguousPrefixesAsGetoptDoes() throws Exception {
        JobSpec spec = spec("--dep=afterok:1", "--job=short", "--time", "20", "--ntasks-per-n", "2", "job.sh");
        assertEquals("afterok:1", spec.dependency());
        assertEquals("short", spec.name());
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals(2, spec.tasksPerNode());
        files.put("p.sh", "#!/bin/sh\n#SBATCH --dep=afterany:3\ntrue\n");
        assertEquals("afterany:3", spec("p.sh").dependency());
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

    private static String longNameOf(String shortOption) {
        return "--" + SbatchOption.byShortName(shortOption.charAt(1)).longName();
    }

    private static String[] append(String[] argv, String last) {
        String[] all = Arrays.copyOf(argv, argv.length + 1);
        all[argv.length] = last;
        return all;
    }
}
