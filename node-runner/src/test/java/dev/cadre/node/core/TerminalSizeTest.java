package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalSizeTest {
    @Test
    void readsWhatSttySizePrintsAndWritesTheSame() {
        assertEquals(Optional.of(new TerminalSize(50, 132)), TerminalSize.parse("50 132\n"));
        assertEquals("50 132", new TerminalSize(50, 132).toString());
        assertEquals(Optional.of(new TerminalSize(9999, 1)), TerminalSize.parse("9999 1"));
    }

    @Test
    void anUnsizedTerminalOrAnythingElseIsNoSize() {
        for (String text : new String[] {"0 0", "0 80", "24", "24 80 1", "-1 80", "24  80", "10000 80", "a b", "",
                "24 8O", "99999999999 1"}) {
            assertEquals(Optional.empty(), TerminalSize.parse(text), text);
        }
        assertEquals("a terminal size is 1 to 9999 rows and columns, not 0 rows and 80 columns",
                assertThrows(IllegalArgumentException.class, () -> new TerminalSize(0, 80)).getMessage());
    }
}
