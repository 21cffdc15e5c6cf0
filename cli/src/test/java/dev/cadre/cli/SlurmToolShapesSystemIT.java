package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command lines workflow tools (Snakemake, submitit) generate and the job templates sites hand out, through
 * bin/cadre against 'cadre up': --clusters, --wckey, --export=NONE with Cadre's commands inside the job, the
 * memory a job is told of, what scontrol shows of a script job, exported shell functions and '..' paths. Checked
 * by the job's own output.
 */
class SlurmToolShapesSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4", "--cluster", "shapes");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    /** sbatch --parsable: the id alone. */
    private static long submitParsable(String... args) throws Exception {
        CadreProcess.Result r = cadre.run("sbatch", args);
        assertTrue(r.exit() == 0 && r.out().trim().matches("[0-9]+"), r.toString());
        return Long.parseLong(r.out().trim());
    }

    @Test
    void anExportNoneJobHasItsLoginVariablesTheSubmittersSlurmOnesAndCadresCommands() throws Exception {
        Path job = cadre.workDir.resolve("none.sh");
        Files.writeString(job, """
                #!/bin/bash
                #SBATCH --export=NONE --wckey=submitit -o none-%j.out
                #SBATCH --mem-per-cpu=100M -c 3 --hint=nomultithread
                echo "home=$HOME user=$USER logname=$LOGNAME shell=$SHELL"
                echo "extra=$SLURM_SITE_EXTRA other=$OTHER_VAR"
                echo "percpu=$SLURM_MEM_PER_CPU pernode=$SLURM_MEM_PER_NODE"
                squeue -h -M shapes -j $SLURM_JOB_ID -o %i; echo "squeue=$?"
                scontrol show job $SLURM_JOB_ID | grep -o 'Command=[^ ]*'
                """);
        String user = System.getProperty("user.name");
        String[] passwd = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(l -> l.startsWith(user + ":"))
                .findFirst().orElseThrow().split(":", -1);
        CadreProcess.Result r = cadre.run(Map.of("SLURM_SITE_EXTRA", "kept", "OTHER_VAR", "dropped"), "sbatch",
                job.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("sbatch: warning: --wckey is ignored: Cadre keeps no accounting\n"
                + "sbatch: warning: --hint is ignored: Cadre does no CPU binding\n", r.err());
        long id = Long.parseLong(r.out().trim().replace("Submitted batch job ", ""));
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("home=" + passwd[5] + " user=" + user + " logname=" + user + " shell=" + passwd[6] + "\n"
                + "extra=kept other=\n"
                + "percpu=100 pernode=\n"
                + id + "\nsqueue=0\n"
                + "Command=" + job + "\n", CadreProcess.read(cadre.workDir.resolve("none-" + id + ".out")));
        assertEquals("300M", cadre.ok("sacct", "-j", "" + id, "-X", "-n", "-P", "-o", "ReqMem").out().trim());
    }

    @Test
    void aLoginNodesExportedFunctionsAndAScriptThatWritesBesideItsFolderRunAsOnSlurm() throws Exception {
        Files.createDirectories(cadre.workDir.resolve("scripts"));
        Files.createDirectories(cadre.workDir.resolve("logs"));
        Path job = cadre.workDir.resolve("scripts/step.sh");
        Files.writeString(job, """
                #!/bin/bash
                #SBATCH -D scripts
                #SBATCH -o ../logs/%x-%j.out
                echo "dir=$(pwd)"
                module load gcc
                env | grep '^A-B='
                """);
        // Lmod's module function and a name no shell could set, as login nodes export them.
        CadreProcess.Result r = cadre.run(Map.of("BASH_FUNC_module%%", "() {  echo \"module: $*\"\n}", "A-B", "1"),
                "sbatch", "--parsable", job.toString());
        assertEquals(0, r.exit(), r.toString());
        long id = Long.parseLong(r.out().trim());
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("dir=" + cadre.workDir.resolve("scripts").toRealPath() + "\nmodule: load gcc\nA-B=1\n",
                CadreProcess.read(cadre.workDir.resolve("logs/step.sh-" + id + ".out")));
    }

    @Test
    void snakemakesStatusQueryAndSubmititsWckeyAreTaken() throws Exception {
        long id = submitParsable("--parsable", "-J", "u95", "--wckey=submitit", "--clusters=all", "--mem=1G",
                "--wrap", "true");
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals(List.of(id + "|COMPLETED"), cadre.ok("sacct", "-X", "--parsable2", "--clusters", "all",
                "--noheader", "--format=JobIdRaw,State", "--starttime", "now-2days", "--endtime", "now", "--name",
                "u95").out().lines().toList());
        assertEquals("1G", cadre.ok("sacct", "-j", "" + id, "-X", "-n", "-P", "-o", "ReqMem").out().trim());
        CadreProcess.Result other = cadre.run("sacct", "-M", "elsewhere", "-j", "" + id);
        assertEquals(1, other.exit(), other.toString());
        assertEquals("sacct: error: 'elsewhere' can't be reached now, or it is an invalid entry for --cluster.  Use"
                + " 'sacctmgr list clusters' to see available clusters.\n", other.err());
    }

    @Test
    void reframesEpochPollASitesSacctFormatAndRelativeTimesAreTaken() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        long id = submitParsable("--parsable", "-J", "reframe", "--wrap", "true");
        cadre.awaitState(id, "COMPLETED", WAIT);
        long after = System.currentTimeMillis() / 1000 + 1;
        // ReFrame's poll: SLURM_TIME_FORMAT=%s, the end read back as seconds since the epoch.
        String today = java.time.LocalDate.now().toString();
        List<String> polled = cadre.run(Map.of("SLURM_TIME_FORMAT", "%s"), "sacct", "-S", today, "-P", "-j",
                "" + id, "-o", "jobid,state,exitcode,end,nodelist").out().lines().toList();
        assertEquals("JobID|State|ExitCode|End|NodeList", polled.get(0));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^" + id
                + "\\|(\\S+)([^|]*)\\|(\\d+):(\\d+)\\|(\\S+)\\|(.*)").matcher(polled.get(1));
        assertTrue(m.matches(), polled.toString());
        assertEquals("COMPLETED", m.group(1));
        long end = Long.parseLong(m.group(5));
        assertTrue(end >= before && end <= after, end + " not in [" + before + ", " + after + "]");

        CadreProcess.Result site = cadre.run(Map.of("SACCT_FORMAT", "JobID,State%20,ExitCode"), "sacct", "-j",
                "" + id, "-X", "-P");
        assertEquals(List.of("JobID|State|ExitCode", id + "|COMPLETED|0:0"), site.out().lines().toList(),
                site.toString());

        CadreProcess.Result invalid = cadre.run(Map.of("SLURM_TIME_FORMAT", "iso"), "sacct", "-j", "" + id, "-X",
                "-n", "-P", "-o", "End");
        assertTrue(invalid.out().trim().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}"),
                invalid.toString());
        assertEquals("sacct: error: invalid SLURM_TIME_FORMAT = 'iso'\n", invalid.err());

        long held = submitParsable("--parsable", "-H", "--wrap", "true");
        try {
            String submitted = cadre.run(Map.of("SLURM_TIME_FORMAT", "relative"), "squeue", "-h", "-j", "" + held,
                    "-o", "%V").out().trim();
            assertTrue(submitted.matches("\\d{2}:\\d{2}:\\d{2}|Ystday \\d{2}:\\d{2}"), submitted);
        } finally {
            cadre.ok("scancel", "" + held);
        }
    }

    @Test
    void scontrolWritesAJobsBatchScriptBackAsSbatchSentIt() throws Exception {
        Path job = cadre.workDir.resolve("kept.sh");
        String script = "#!/bin/bash\n#SBATCH -J kept -H\necho 'it\u2019s kept' $1\n";
        Files.writeString(job, script);
        long id = submitParsable("--parsable", job.toString(), "arg");
        try {
            assertEquals("batch script for job " + id + " written to slurm-" + id + ".sh\n",
                    cadre.ok("scontrol", "write", "batch_script", "" + id).out());
            assertEquals(script, Files.readString(cadre.workDir.resolve("slurm-" + id + ".sh")));
            assertEquals(script, cadre.ok("scontrol", "write", "batch", "" + id, "-").out());
            cadre.ok("scontrol", "write", "batch_script", "" + id, "copy.sh");
            assertEquals(script, Files.readString(cadre.workDir.resolve("copy.sh")));

            CadreProcess.Result unknown = cadre.run("scontrol", "write", "batch_script", "999999");
            assertEquals(1, unknown.exit(), unknown.toString());
            assertEquals("job script retrieval failed: Invalid job id specified\n", unknown.err());
            CadreProcess.Result nowhere = cadre.run("scontrol", "write", "batch_script", "" + id, "no/such/x.sh");
            assertEquals(1, nowhere.exit(), nowhere.toString());
            assertEquals("failed to open file `no/such/x.sh`: No such file or directory\n", nowhere.err());
            CadreProcess.Result bare = cadre.run("scontrol", "write");
            assertEquals("too few arguments for keyword:write\n", bare.err());
            assertEquals(1, cadre.run("scontrol", "write", "config").exit());
        } finally {
            cadre.ok("scancel", "" + id);
        }
    }
}
