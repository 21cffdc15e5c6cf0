package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CPU ids in Linux's list format, and as the job launcher takes them. */
class CpuListTest {
    @Test
    void theListFormatIsReadAndWrittenWithRanges() {
        assertEquals(Set.of(0, 1, 2, 3, 8, 10, 11), CpuList.parse("0-3,8,10-11"));
        assertEquals(Set.of(), CpuList.parse(""));
        assertEquals(Set.of(5), CpuList.parse(" 5\n"));
        assertEquals("0-3,8,10-11", CpuList.format(Set.of(11, 10, 8, 3, 2, 1, 0)));
        assertEquals("1,3", CpuList.format(Set.of(3, 1)));
        assertEquals("", CpuList.format(Set.of()));
        assertEquals("0,1,3", CpuList.wire(Set.of(3, 0, 1)));
    }

    @Test
    void whatIsNoListIsRefusedNamingThePart() {
        assertEquals("'x' of the CPU list '0,x' is no CPU id from 0 to 8191",
                assertThrows(IllegalArgumentException.class, () -> CpuList.parse("0,x")).getMessage());
        assertEquals("'3-1' of the CPU list '3-1' runs backwards",
                assertThrows(IllegalArgumentException.class, () -> CpuList.parse("3-1")).getMessage());
        for (String bad : List.of("0,", "-1", "1-", "9000", "0-99999", "1 2")) {
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse(bad), bad);
        }
    }

    @Test
    void aProcessStatusGivesTheCpusItMayRunOn() {
        String status = "Name:\tbash\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed_list:\t0\n";
        assertEquals(Optional.of(Set.of(0, 1)), CpuList.fromStatus(status));
        assertEquals(Optional.empty(), CpuList.fromStatus("Name:\tbash\n"));
        assertEquals(Optional.empty(), CpuList.fromStatus("Cpus_allowed_list:\tgarbage\n"));
    }
}
