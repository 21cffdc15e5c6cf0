package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** srun's output of several tasks: whole lines, labelled with -l as srun labels them. */
class TaskOutputTest {
    @Test
    void labelsArePaddedToTheWidestTaskIdAndLinesAreKeptWhole() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        TaskOutput o = new TaskOutput(ps, ps, true, 12);
        o.of(3).stdout("ab".getBytes(StandardCharsets.UTF_8));
        o.of(11).stdout("x\ny".getBytes(StandardCharsets.UTF_8));
        o.of(3).stdout("c\n".getBytes(StandardCharsets.UTF_8));
        o.flush(3);
        o.flush(11);
        assertEquals("11: x\n 3: abc\n11: y\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutLabelsOutputPassesAsItComes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        TaskOutput o = new TaskOutput(ps, ps, false, 2);
        o.of(1).stdout("partial".getBytes(StandardCharsets.UTF_8));
        assertEquals("partial", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unbufferedEachPieceIsLabelledAsItComesAsUnderSrunPty() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        TaskOutput o = new TaskOutput(ps, ps, true, 3, true);
        o.of(0).stdout("bash$ ".getBytes(StandardCharsets.UTF_8));
        assertEquals("0: bash$ \n", out.toString(StandardCharsets.UTF_8), "not held for its newline");
        o.of(0).stdout("ls\r\nfile\r\n".getBytes(StandardCharsets.UTF_8));
        o.flush(0);
        assertEquals("0: bash$ \n0: ls\r\n0: file\r\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        new TaskOutput(ps, ps, false, 3, true).of(0).stdout("as is".getBytes(StandardCharsets.UTF_8));
        assertEquals("as is", out.toString(StandardCharsets.UTF_8));
    }
}
