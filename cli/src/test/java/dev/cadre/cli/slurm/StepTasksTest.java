package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayPart;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each srun task is given: Slurm's step and task variables, and the command line its node runs. */
class StepTasksTest {
    private static final Map<String, String> JOB = new LinkedHashMap<>(Map.of("SLURM_JOB_ID", "42",
            "SLURM_NTASKS", "4", "SLURM_JOB_NODELIST", "n[1-2]", "SLURM_TASKS_PER_NODE", "2(x2)",
            "SLURM_JOB_CPUS_PER_NODE", "2(x2)", "HOME", "/home/a", "CADRE_EXEC_SOCKET", "/run/x.sock",
            "HOSTNAME", "n1", "MY_VAR", "it's"));

    @Test
    void eachTaskKnowsItselfAndItsStep() throws Exception {
        SrunOptions o = SrunOptions.parse(List.of("prog"), JOB);
        StepLayout step = StepLayout.of(StepLayout.Allocation.fromEnvironment(JOB), o, "42");
        Map<String, String> env = StepTasks.environment(JOB, o, step, step.tasks().get(3), 5, 2);
        assertEquals("3", env.get("SLURM_PROCID"));
        assertEquals("1", env.get("SLURM_LOCALID"));
        assertEquals("1", env.get("SLURM_NODEID"));
        assertEquals("2,3", env.get("SLURM_GTIDS"));
        assertEquals("n2", env.get("SLURMD_NODENAME"));
        assertEquals("5", env.get("SLURM_STEP_ID"));
        assertEquals("4", env.get("SLURM_STEP_NUM_TASKS"));
        assertEquals("n[1-2]", env.get("SLURM_STEP_NODELIST"));
        assertEquals("2(x2)", env.get("SLURM_STEP_TASKS_PER_NODE"));
        assertEquals("/home/a", env.get("HOME"));
        assertFalse(env.containsKey("CADRE_EXEC_SOCKET"), "each node's own relay, not srun's");
        assertFalse(env.containsKey("HOSTNAME"));
    }

    @Test
    void exportNoneKeepsSlurmsVariablesOnly() throws Exception {
        SrunOptions o = SrunOptions.parse(List.of("--export=NONE", "prog"), JOB);
        StepLayout step = StepLayout.of(StepLayout.Allocation.fromEnvironment(JOB), o, "42");
        Map<String, String> env = StepTasks.environment(JOB, o, step, step.tasks().get(0), 0, 2);
        assertFalse(env.containsKey("HOME"));
        assertEquals("42", env.get("SLURM_JOB_ID"));
        assertEquals(Map.of("X", "1", "HOME", "/home/a"), Map.of("X", StepTasks.exported(JOB, "X=1,HOME").get("X"),
                "HOME", StepTasks.exported(JOB, "X=1,HOME").get("HOME")));
    }

    @Test
    void theCommandLineQuotesEveryWordForBash() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "it's $HOME");
        env.put("B", "");
        String line = StepTasks.commandLine(env, "/work dir", List.of("echo", "a b", "$X"), null, "out-%t", null);
        assertEquals("cd '/work dir' || exit 1; export A='it'\\''s $HOME' B=''; export SLURM_TASK_PID=$$;"
                + " exec 'echo' 'a b' '$X' >>'out-%t' 2>&1", line);
        assertTrue(StepTasks.commandLine(Map.of(), "/", List.of("true"), null, "o", "e").endsWith(" >>'o' 2>>'e'"));
        assertTrue(StepTasks.commandLine(Map.of(), "/", List.of("true"), "it's in", "o", null)
                .endsWith("'true' <'it'\\''s in' >>'o' 2>&1"), "-i's file is the task's standard input");
        assertTrue(StepTasks.commandLine(Map.of(), "/", List.of("true"), null, null, "e").endsWith("'true' 2>>'e'"));
        Process p = new ProcessBuilder("bash", "-c", StepTasks.commandLine(env, "/", List.of("bash", "-c",
                "printf '%s|%s|%s' \"$A\" \"$B\" \"$1\"", "-", "x y"), null, null, null)).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("it's $HOME||x y", printed);
    }

    @Test
    void outputFileNamesTakeTheTaskNodeAndStep() {
        StepLayout.Task t = new StepLayout.Task(3, 1, "n2", 1);
        assertEquals("out-42.5-3-1-n2-%q-%.txt", StepTasks.fileName("out-%J-%t-%n-%N-%q-%%.txt", t, 42, null, 5, "a",
                "x"));
    }

    @Test
    void outputFileNamesTakeWidthsAndTheArray() {
        StepLayout.Task t = new StepLayout.Task(3, 1, "n2", 1);
        assertEquals("t003-n01-s005-0042.5", StepTasks.fileName("t%3t-n%2n-s%3s-%4J", t, 42, null, 5, "a", "x"));
        assertEquals("40_7-0042-u-job-n2-%", StepTasks.fileName("%A_%a-%4j-%u-%x-%N-%%", t, 42,
                new ArrayPart(40, 7, null), 5, "u", "job"));
        assertEquals("42_4294967294", StepTasks.fileName("%A_%a", t, 42, null, 5, "u", "job"));
        assertEquals("0000000003-%5q-%", StepTasks.fileName("%99999999999t-%5q-%", t, 42, null, 5, "u", "job"));
    }

    @Test
    void optionsOutsideAJobAndRefusals() throws Exception {
        SrunOptions o = SrunOptions.parse(List.of("-n", "2", "-l", "-t", "5", "--mem=1G", "-J", "x", "prog", "-n",
                "9"), Map.of());
        assertEquals(List.of("prog", "-n", "9"), o.command(), "options after the command are its own");
        assertEquals(List.of("--ntasks=2", "--time=5", "--mem=1G", "--job-name=x"), o.allocation());
        assertEquals("srun: fatal: No command given to execute.", assertThrows(SlurmUsageException.class,
                () -> SrunOptions.parse(List.of("-n", "2"), Map.of())).getMessage());
        SrunOptions pty = SrunOptions.parse(List.of("-N1", "--pty", "bash", "-i"), Map.of());
        assertTrue(pty.pty(), "outside a job the command runs at a terminal");
        assertEquals(List.of("bash", "-i"), pty.command());
        assertFalse(o.pty());
        SrunOptions inJob = SrunOptions.parse(List.of("--pty", "bash"), Map.of("SLURM_JOB_ID", "5"));
        assertTrue(inJob.pty(), "inside a job the command runs at a terminal too");
        assertEquals(List.of("bash"), inJob.command());
        assertEquals("srun: error: --pty runs one command at a terminal; it does not take --multi-prog",
                assertThrows(SlurmUsageException.class, () -> SrunOptions.parse(List.of("--pty", "--multi-prog",
                        "tasks.conf"), Map.of())).getMessage());
    }

    @Test
    void variablesBashCannotExportReachTheTaskThroughEnv() throws Exception {
        Map<String, String> job = new LinkedHashMap<>(JOB);
        job.put("BASH_FUNC_greet%%", "() {  echo \"hello $1\"\n}");
        job.put("A-B", "dash");
        SrunOptions o = SrunOptions.parse(List.of("prog"), job);
        StepLayout step = StepLayout.of(StepLayout.Allocation.fromEnvironment(job), o, "42");
        Map<String, String> env = StepTasks.environment(job, o, step, step.tasks().get(0), 0, 2);
        assertEquals("dash", env.get("A-B"));
        String line = StepTasks.commandLine(env, "/", List.of("bash", "-c", "greet \"$(printenv A-B)\"; echo $$"),
                null, null, null);
        Process p = new ProcessBuilder("bash", "-c", line + "& echo $!; wait").start();
        List<String> printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor());
        assertEquals("hello dash", printed.get(1), printed.toString());
        assertEquals(printed.get(0), printed.get(2), "the task is the process the shell started: " + printed);
        Map<String, String> onlyOdd = new LinkedHashMap<>();
        onlyOdd.put("A-B", "x");
        assertEquals("cd '/' || exit 1; export SLURM_TASK_PID=$$; exec env -- 'A-B=x' 'true'",
                StepTasks.commandLine(onlyOdd, "/", List.of("true"), null, null, null));
        assertEquals("cd '/' || exit 1; export SLURM_TASK_PID=$$; exec 'X=1'",
                StepTasks.commandLine(onlyOdd, "/", List.of("X=1"), null, null, null),
                "env would take it for a variable");
    }
}
