package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** srun --multi-prog's configuration file: each task's program and arguments, and Slurm's refusals. */
class MultiProgTest {
    private static String refusal(String text, int tasks) {
        return assertThrows(SlurmUsageException.class, () -> MultiProg.commands(text, "my.conf", tasks)).getMessage();
    }

    @Test
    void slurmsExampleGivesEachTaskItsLine() throws Exception {
        String conf = """
                ###################################################
                # srun -n8 -l --multi-prog myrun.conf
                ###################################################
                4-6       hostname
                1,7       echo  task:%t

                0,2-3     echo  offset:%o
                """;
        assertEquals(List.of(List.of("echo", "offset:0"), List.of("echo", "task:1"), List.of("echo", "offset:1"),
                List.of("echo", "offset:2"), List.of("hostname"), List.of("hostname"), List.of("hostname"),
                List.of("echo", "task:7")), MultiProg.commands(conf, "myrun.conf", 8));
    }

    @Test
    void starTakesTheTasksNoOtherLineNamesAndQuotesGroupWords() throws Exception {
        String conf = "  # indented comment\n0 bash -c 'echo %t is \"first\"' \"a b%t\"\r\n* echo rest-%t-%o\n";
        assertEquals(List.of(List.of("bash", "-c", "echo %t is \"first\"", "a b0"), List.of("echo", "rest-1-0"),
                List.of("echo", "rest-2-1")), MultiProg.commands(conf, "my.conf", 3));
        assertEquals(List.of(List.of("prog%t")), MultiProg.commands("* prog%t", "my.conf", 1),
                "the program is not substituted, only its arguments");
    }

    @Test
    void aTaskWithoutOrWithTwoLinesIsRefused() {
        assertEquals("srun: error: Configuration file my.conf invalid, no record for task id 2",
                refusal("0-1 true\n3 true\n", 4));
        assertEquals("srun: error: Line 2 of configuration file my.conf invalid: duplicate record for task 1",
                refusal("0-1 true\n1 false\n", 2));
        assertEquals("srun: error: Line 2 of configuration file my.conf invalid: duplicate record for task 0",
                refusal("* true\n0 false\n", 2));
    }

    @Test
    void badLinesAreNamed() {
        assertEquals("srun: error: Line 1 of configuration file my.conf invalid: task id 4 >= ntasks (4)",
                refusal("0-4 true", 4));
        assertEquals("srun: error: Line 1 of configuration file my.conf invalid: task range 3-1 (the smaller number"
                + " comes first)", refusal("3-1 true", 4));
        assertEquals("srun: error: Line 1 of configuration file my.conf invalid: task range 1,,2 (ranks are numbers"
                + " and ranges such as 0,2-4, or *)", refusal("1,,2 true", 4));
        assertEquals("srun: error: Line 1 of configuration file my.conf invalid: task range a (ranks are numbers"
                + " and ranges such as 0,2-4, or *)", refusal("a true", 4));
        assertEquals("srun: error: Line 2 of configuration file my.conf invalid: no program for tasks 1",
                refusal("0 true\n1\n", 2));
        assertEquals("srun: error: Line 1 of configuration file my.conf invalid: unmatched '",
                refusal("0 echo 'open", 1));
    }
}
