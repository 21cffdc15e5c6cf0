package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTextTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theLastLinesOfAWholeFile() {
        OutputText.Tail t = OutputText.lastLines(b("a\nbb\nccc\n"), true, 2);
        assertEquals(List.of("bb", "ccc"), t.lines());
        assertEquals(2, t.skipped());
        assertTrue(t.more());
        OutputText.Tail all = OutputText.lastLines(b("a\nbb"), true, 10);
        assertEquals(List.of("a", "bb"), all.lines(), "a last line without its end is included");
        assertFalse(all.more());
        assertEquals(List.of(), OutputText.lastLines(b(""), true, 5).lines());
        assertEquals(List.of(), OutputText.lastLines(b("a\n"), true, 0).lines());
    }

    @Test
    void theEndOfALongerFileDropsItsCutFirstLine() {
        OutputText.Tail t = OutputText.lastLines(b("rt of a line\nwhole\n"), false, 10);
        assertEquals(List.of("whole"), t.lines());
        assertEquals(13, t.skipped());
        assertTrue(t.more());
        assertEquals(List.of("one endless line"), OutputText.lastLines(b("one endless line"), false, 3).lines());
    }

    @Test
    void textIsCutOnlyBetweenCharacters() {
        byte[] euro = b("a€");
        assertEquals(4, euro.length);
        assertEquals(4, OutputText.wholeCharacters(euro, 4));
        assertEquals(1, OutputText.wholeCharacters(euro, 3), "the euro sign's third byte is missing");
        assertEquals(1, OutputText.wholeCharacters(euro, 2));
        assertEquals(1, OutputText.wholeCharacters(euro, 1));
        byte[] emoji = b("😀");
        assertEquals(0, OutputText.wholeCharacters(emoji, 3));
        assertEquals(4, OutputText.wholeCharacters(emoji, 4));
        assertEquals(2, OutputText.wholeCharacters(new byte[] {(byte) 0x80, (byte) 0x80}, 2), "not UTF-8: let through");
    }
}
