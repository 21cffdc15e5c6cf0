package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessIoTest {
    /** /proc/PID/io as a 6.x kernel writes it, of a shell whose dd wrote 1 MiB with O_DIRECT. */
    private static final String IO = """
            rchar: 1059532
            wchar: 1048672
            syscr: 34
            syscw: 19
            read_bytes: 106496
            write_bytes: 1056768
            cancelled_write_bytes: 0
            """;

    @Test
    void readsTheBytesReadFromAndWrittenToStorage() {
        assertEquals(Optional.of(new ProcessIo(106_496, 1_056_768)), ProcessIo.parse(IO));
        // rchar and wchar (every read and write, the page cache and pipes included) are not what it counts.
        assertEquals(Optional.of(new ProcessIo(0, 0)), ProcessIo.parse(IO.replace("106496", "0")
                .replace("1056768", "0")));
        assertEquals(Optional.of(new ProcessIo(Long.MAX_VALUE, 5)), ProcessIo.parse(
                "read_bytes: 9223372036854775807\nwrite_bytes: 5\n"));
    }

    @Test
    void aTextCutShortOrDamagedIsNone() {
        assertEquals(Optional.empty(), ProcessIo.parse(null));
        assertEquals(Optional.empty(), ProcessIo.parse(""));
        assertEquals(Optional.empty(), ProcessIo.parse("rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\n"),
                "no write_bytes");
        assertEquals(Optional.empty(), ProcessIo.parse(IO.replace("write_bytes: 1056768", "write_bytes: -1")));
        assertEquals(Optional.empty(), ProcessIo.parse(IO.replace("read_bytes: 106496", "read_bytes: lots")));
        assertEquals(Optional.empty(), ProcessIo.parse(IO.replace("read_bytes: 106496",
                "read_bytes: 18446744073709551615")), "past a long");
        // cancelled_write_bytes is another field, not write_bytes.
        assertEquals(Optional.empty(), ProcessIo.parse("read_bytes: 1\ncancelled_write_bytes: 2\n"));
    }

    @Test
    void theSumOfProcessesSaturatesAndIsNullForNone() {
        assertNull(ProcessIo.sum(List.of()));
        assertEquals(new ProcessIo(3, 30), ProcessIo.sum(List.of(new ProcessIo(1, 10), new ProcessIo(2, 20))));
        assertEquals(new ProcessIo(Long.MAX_VALUE, 2), ProcessIo.sum(List.of(new ProcessIo(Long.MAX_VALUE, 1),
                new ProcessIo(1, 1))));
    }
}
