package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Job ids as Slurm's commands take them, bracketed task lists ("12_[1-3,7]") included. */
class SlurmJobIdTest {
    private static List<String> list(String text) {
        return SlurmJobId.list(text).stream().map(SlurmJobId::toString).toList();
    }

    private static String problem(String text) {
        return assertThrows(IllegalArgumentException.class, () -> SlurmJobId.list(text), text).getMessage();
    }

    @Test
    void aTaskListNamesEachOfItsTasks() {
        assertEquals(List.of("11_1", "11_2", "11_3"), list("11_[1-3]"));
        assertEquals(List.of("11_7", "11_8", "11_9", "11_20"), list("11_[7-9,20]"));
        assertEquals(List.of("5", "11_0", "11_4", "11_8", "12_3"), list("5,11_[0-8:4],12_3"));
        assertEquals(List.of("11_2"), list("11_[2]"));
    }

    @Test
    void theCommasOfATaskListAreNotTheListsOwn() {
        assertEquals(List.of("11_[7-9,20]", "12", "13_[1,2]"), SlurmJobId.entries("11_[7-9,20],12,13_[1,2]"));
        assertEquals(List.of("1", "", "2"), SlurmJobId.entries("1,,2"));
    }

    @Test
    void aMalformedTaskListSaysWhatIsWrong() {
        assertEquals("11_[7-9: a task list ends the id with ']'", problem("11_[7-9"));
        assertEquals("11_[3-1]: the task list '3-1' ends before it starts", problem("11_[3-1]"));
        assertEquals("11_[]: the task list is empty", problem("11_[]"));
        assertEquals("11_[1-3%2]: a throttle (%N) belongs to sbatch --array, not to a job id", problem("11_[1-3%2]"));
        assertEquals("x_[1-3]: 'x' is not a job id", problem("x_[1-3]"));
        assertEquals("11[1-3]: a task list is written JOB_[LIST], as 12_[1-3,7]", problem("11[1-3]"));
        assertEquals("11_[1-3]x: a task list ends the id with ']'", problem("11_[1-3]x"));
        assertEquals("11_[a]: the task list 'a' is not a task id, a range N-M or a range with step N-M:S of ids"
                + " from 0 to 9999999", problem("11_[a]"));
    }

    @Test
    void aPlainBadIdIsNamedAloneForSlurmsText() {
        assertEquals("12x", problem("1,12x"));
        assertEquals("", problem("1,,2"));
        assertEquals(Optional.empty(), SlurmJobId.parseList("11_[3-1]"));
        assertEquals(Optional.of(List.of(new SlurmJobId(11, 1), new SlurmJobId(11, 2))),
                SlurmJobId.parseList("11_[1-2]"));
    }

    @Test
    void aSingleIdTakesNoTaskList() {
        assertEquals(Optional.of(new SlurmJobId(12, 3)), SlurmJobId.parse("12_3"));
        assertEquals(Optional.empty(), SlurmJobId.parse("12_[3]"));
    }

    @Test
    void manyTasksOfOneArrayAreAskedOfTheApiByTheArraysId() {
        assertEquals("7,11_1,11_2,12", SlurmJobId.query(SlurmJobId.list("7,11_[1-2],12,11_1")));
        List<SlurmJobId> many = new ArrayList<>(SlurmJobId.list("11_[0-999999]"));
        many.add(new SlurmJobId(12, 5));
        assertEquals(1_000_001, many.size());
        assertEquals("11,12_5", SlurmJobId.query(many));
    }
}
