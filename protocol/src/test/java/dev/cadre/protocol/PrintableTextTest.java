package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrintableTextTest {
    @Test
    void terminalControlsAndBidiCharactersAreRefusedNamingTheCodePointAndItsPlace() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("\u001b[31mx", "contains U+001B (escape, a control character) at character 1"),
                Map.entry("abcd\u202eevil", "contains U+202E (a bidi override) at character 5"),
                Map.entry("ab\u202dc", "contains U+202D (a bidi override) at character 3"),
                Map.entry("a\u202ab", "contains U+202A (a bidi embedding) at character 2"),
                Map.entry("a\u202bb", "contains U+202B (a bidi embedding) at character 2"),
                Map.entry("a\u202cb", "contains U+202C (a bidi pop) at character 2"),
                Map.entry("a\u2066b", "contains U+2066 (a bidi isolate) at character 2"),
                Map.entry("a\u2067b", "contains U+2067 (a bidi isolate) at character 2"),
                Map.entry("a\u2068b", "contains U+2068 (a bidi isolate) at character 2"),
                Map.entry("a\u2069b", "contains U+2069 (a bidi pop) at character 2"),
                Map.entry("disk\tswap", "contains U+0009 (a tab, a control character) at character 5"),
                Map.entry("disk\n", "contains U+000A (a line feed, a control character) at character 5"),
                Map.entry("x\rfake", "contains U+000D (a carriage return, a control character) at character 2"),
                Map.entry("\u0000", "contains U+0000 (NUL, a control character) at character 1"),
                Map.entry("bell\u0007", "contains U+0007 (a control character) at character 5"),
                Map.entry("del\u007f", "contains U+007F (a control character) at character 4"),
                Map.entry("csi\u009b31m", "contains U+009B (a C1 control character) at character 4"),
                Map.entry("a\u0080", "contains U+0080 (a C1 control character) at character 2"),
                Map.entry("one\u2028two", "contains U+2028 (a line separator) at character 4"),
                Map.entry("one\u2029two", "contains U+2029 (a paragraph separator) at character 4"));
        refused.forEach((text, why) -> assertEquals(Optional.of(why), PrintableText.problem(text), why));
    }

    @Test
    void charactersAreCountedAsPeopleSeeThemAndTheFirstBadOneIsNamed() {
        assertEquals(Optional.of("contains U+202E (a bidi override) at character 3"),
                PrintableText.problem("\ud83d\ude00\u00e9\u202e\u001b"), "an emoji is one character, not two");
    }

    @Test
    void everyOtherCharacterIsTakenLettersOfEveryScriptIncluded() {
        for (String ok : new String[] {"", "disk swap", "Überprüfung · 检修 · תחזוקה · صيانة", "job\u00a0name",
                "a\u200fb", "\ud83d\ude00", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", "\u00a0\u00ff\u2027\u202f\u206a"}) {
            assertEquals(Optional.empty(), PrintableText.problem(ok), ok);
            assertTrue(PrintableText.isPrintable(ok), ok);
        }
        assertEquals(Optional.empty(), PrintableText.problem(null));
    }

    @Test
    void aRefusedValueIsEchoedWithEachRefusedCharacterAsAQuestionMark() {
        assertEquals("?[31mred?evil? ok \ud83d\ude00", PrintableText.masked("\u001b[31mred\u202eevil\u0085 ok"
                + " \ud83d\ude00"));
    }
}
