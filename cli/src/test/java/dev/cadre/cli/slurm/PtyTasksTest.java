package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.TerminalSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * srun --pty's tasks: task 0 at a pseudo-terminal, the others started as Slurm starts them, with their own
 * variables, output and errors to /dev/null, on the nodes the layout gives them.
 */
class PtyTasksTest {
    private static final Map<String, String> JOB = Map.of("SLURM_JOB_ID", "42", "SLURM_NTASKS", "3",
            "SLURM_JOB_NODELIST", "n[1-2]", "SLURM_TASKS_PER_NODE", "2,1", "SLURM_JOB_CPUS_PER_NODE", "2,1",
            "CADRE_EXEC_SOCKET", "/run/x.sock");

    private static List<String> lines(List<String> args, TerminalSize size) throws Exception {
        SrunOptions o = SrunOptions.parse(args, JOB);
        StepLayout.Allocation job = StepLayout.Allocation.fromEnvironment(JOB);
        return PtyTasks.commandLines(JOB, o, job, StepLayout.of(job, o, "42"), 7, "/work", size);
    }

    @Test
    void everyTaskOfTheStepRunsTaskZeroAloneAtAPseudoTerminal() throws Exception {
        List<String> lines = lines(List.of("--pty", "bash", "-i"), new TerminalSize(20, 70));
        assertEquals(3, lines.size(), "the job's three tasks: " + lines);
        assertTrue(lines.get(0).startsWith("SHELL=/bin/sh script -qefc 'stty rows 20 cols 70 "), lines.get(0));
        assertTrue(lines.get(0).contains("SLURM_PROCID='\\''0'\\''"), lines.get(0));
        for (int i = 1; i < 3; i++) {
            String line = lines.get(i);
            assertFalse(line.contains("script"), "no terminal for task " + i + ": " + line);
            assertTrue(line.endsWith(" exec 'bash' '-i' >>'/dev/null' 2>>'/dev/null'"), line);
            assertFalse(line.contains(" <"), "its input is the relay's /dev/null: " + line);
        }
    }

    @Test
    void theOtherTasksHaveTheVariablesAnyTaskHasOnTheNodesTheLayoutGives() throws Exception {
        List<String> lines = lines(List.of("--pty", "sh"), null);
        assertTrue(lines.get(0).startsWith("SHELL=/bin/sh script -qefc 'cd "), "no size without a terminal");
        assertTrue(lines.get(1).contains(" SLURM_PROCID='1' SLURM_LOCALID='1' SLURM_NODEID='0' SLURM_GTIDS='0,1'"
                + " SLURMD_NODENAME='n1'"), lines.get(1));
        assertTrue(lines.get(2).contains(" SLURM_PROCID='2' SLURM_LOCALID='0' SLURM_NODEID='1' SLURM_GTIDS='2'"
                + " SLURMD_NODENAME='n2'"), lines.get(2));
        assertTrue(lines.get(2).contains(" SLURM_STEP_ID='7'") && lines.get(2).contains(" SLURM_CPUS_ON_NODE='1'"),
                lines.get(2));
        assertEquals(1, lines(List.of("--pty", "-n1", "sh"), null).size(), "-n1: task 0 alone");
        assertEquals(2, lines(List.of("--pty", "-N2", "-n2", "sh"), null).size());
    }

    @Test
    void outsideAJobSeveralTasksAreAskedForByCountsAbove1() throws Exception {
        for (List<String> args : List.of(List.of("-n3"), List.of("-N2"), List.of("--ntasks-per-node=2"),
                List.of("-N", "2-3"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--pty", "bash"));
            assertTrue(PtyTasks.manyTasks(SrunOptions.parse(all, Map.of())), args.toString());
        }
        for (List<String> args : List.<List<String>>of(List.of(), List.of("-n1"), List.of("-N1", "-n1"),
                List.of("-N", "1-2"), List.of("-c4"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--pty", "bash"));
            assertFalse(PtyTasks.manyTasks(SrunOptions.parse(all, Map.of())), args.toString());
        }
        assertTrue(PtyTasks.manyTasks(SrunOptions.parse(List.of("--pty", "bash"), Map.of("SLURM_NTASKS", "2"))),
                "srun's input variable SLURM_NTASKS, as -n");
    }

    private static String refusal(List<String> args, Map<String, String> env) {
        return String.join("\n", assertThrows(SlurmUsageException.class, () -> SrunOptions.parse(args, env),
                args + " " + env).lines());
    }

    @Test
    void outputErrorAndInputAreRefusedWithPtyInSlurmsWordsHoweverGiven() throws Exception {
        String words = "srun: error: --error/--input/--output are incompatible with --pty";
        for (List<String> args : List.of(List.of("--pty", "-o", "out.txt", "bash"), List.of("-e", "e", "--pty", "sh"),
                List.of("--pty", "--input=none", "sh"), List.of("--pty", "-i0", "sh"),
                List.of("--pty", "--output=%t.out", "--error=%t.err", "sh"))) {
            assertEquals(words, refusal(args, Map.of()));
            assertEquals(words, refusal(args, JOB), "inside a job too");
        }
        for (String variable : List.of("SLURM_STDOUTMODE", "SLURM_STDERRMODE", "SLURM_STDINMODE")) {
            assertEquals(words, refusal(List.of("--pty", "bash"), Map.of(variable, "x")), variable);
            SrunOptions.parse(List.of("--pty", "bash"), Map.of(variable, "")); // an empty variable sets nothing
            SrunOptions.parse(List.of("bash"), Map.of(variable, "x")); // without --pty it is srun's -o, -e or -i
        }
        assertEquals("srun: fatal: No command given to execute.", refusal(List.of("--pty", "-o", "x"), Map.of()),
                "the command first, as Slurm reads the command line before it checks the options together");
    }

    @Test
    void labelAndUnbufferedAreTakenWithPty() throws Exception {
        assertTrue(SrunOptions.parse(List.of("--pty", "-l", "-u", "bash"), JOB).label());
        assertTrue(SrunOptions.parse(List.of("--pty", "bash"), Map.of("SLURM_LABELIO", "1")).label());
        assertEquals(3, lines(List.of("--pty", "-l", "-u", "sh"), null).size());
    }
}
