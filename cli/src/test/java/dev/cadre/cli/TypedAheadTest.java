package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Keys typed ahead at a canonical terminal go on as typed once it is raw: the NUL an end-of-file leaves there (Ctrl-D,
 * or util-linux script's EOF when its input ends) goes on as the terminal's EOF character, not as a NUL the command's
 * terminal would echo as "^@".
 */
class TypedAheadTest {
    /** stty -g of a sane canonical terminal (GNU coreutils on Linux): eof is ^D (4). */
    private static final String CANONICAL = "500:5:bf:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0:0:0:0:0:0:0:0"
            + ":0:0:0:0:0:0";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theEndOfFileOfACanonicalTerminalIsItsEofCharacter() {
        assertEquals(4, TypedAhead.endOfFile(CANONICAL));
        assertEquals(4, TypedAhead.endOfFile(CANONICAL + "\n"));
        // stty eof ^X
        assertEquals(0x18, TypedAhead.endOfFile(CANONICAL.replace(":15:4:0:", ":15:18:0:")));
    }

    @Test
    void aRawTerminalOrOneWithoutAnEofCharacterHasNone() {
        // stty raw: icanon off (8a3b -> 8a39)
        assertEquals(-1, TypedAhead.endOfFile(CANONICAL.replace(":8a3b:", ":8a39:")));
        // stty eof undef
        assertEquals(-1, TypedAhead.endOfFile(CANONICAL.replace(":15:4:0:", ":15:0:0:")));
        assertEquals(-1, TypedAhead.endOfFile(""));
        assertEquals(-1, TypedAhead.endOfFile("500:5:bf:8a3b"));
        assertEquals(-1, TypedAhead.endOfFile("speed 38400 baud; line = 0;"));
    }

    @Test
    void anEndOfFileTypedAheadGoesOnAsTheEofCharacter() {
        int eof = TypedAhead.endOfFile(CANONICAL);
        // What script's EOF left after the lines fed to it, and an EOF alone.
        assertArrayEquals(bytes("tty\nexit 3\n\u0004"), TypedAhead.restore(bytes("tty\nexit 3\n\0"), eof));
        assertArrayEquals(bytes("\u0004"), TypedAhead.restore(bytes("\0"), eof));
        assertArrayEquals(bytes("ab\u0004\u0004"), TypedAhead.restore(bytes("ab\0\0"), eof));
        assertArrayEquals(new byte[0], TypedAhead.restore(new byte[0], eof));
    }

    @Test
    void keysFromATerminalThatWasRawAlreadyGoOnUnchanged() {
        byte[] keys = bytes("a\0b");
        byte[] kept = TypedAhead.restore(keys, -1);
        assertArrayEquals(bytes("a\0b"), kept);
        kept[0] = 'x';
        assertArrayEquals(bytes("a\0b"), keys, "the caller's bytes stay as they were");
    }
}
