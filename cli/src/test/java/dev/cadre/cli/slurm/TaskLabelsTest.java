package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** srun -l's labels as Slurm's write_labelled_message writes them, whole lines and unbuffered pieces. */
class TaskLabelsTest {
    private static String unbuffered(String piece, int task, int tasks) {
        return new String(TaskLabels.unbuffered(piece.getBytes(StandardCharsets.UTF_8), task,
                TaskLabels.width(tasks)), StandardCharsets.UTF_8);
    }

    @Test
    void theWidthIsThatOfTheHighestTaskIdAndLabelsArePaddedWithSpaces() {
        assertEquals(1, TaskLabels.width(1));
        assertEquals(1, TaskLabels.width(10));
        assertEquals(2, TaskLabels.width(11));
        assertEquals(" 3: ", new String(TaskLabels.prefix(3, 2), StandardCharsets.US_ASCII));
        assertEquals("0: ", new String(TaskLabels.prefix(0, 1), StandardCharsets.US_ASCII));
    }

    @Test
    void eachLineOfAPieceIsLabelledAndAPieceEndingMidLineGetsANewline() {
        assertEquals("0: a\r\n0: b\r\n", unbuffered("a\r\nb\r\n", 0, 1));
        assertEquals("0: $ \n", unbuffered("$ ", 0, 1), "a prompt, as Slurm's srun --pty -l shows it");
        assertEquals("0: a\n0: b\n", unbuffered("a\nb", 0, 1));
        assertEquals(" 0: \n", unbuffered("\n", 0, 12));
        assertEquals("", unbuffered("", 0, 1));
    }
}
