package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Slurm's --array and --dependency syntaxes as the protocol reads them. */
class ArrayAndDependencySyntaxTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "0-99; 0-99; 100; 0; 99",
            "1,3,5-7; 1,3,5-7; 5; 1; 7",
            "0-20:4; 0-20:4; 6; 0; 20",
            "0-21:4; 0-20:4; 6; 0; 20",
            "7,3,3,1-2; 1-3,7; 4; 1; 7",
            "0-99999; 0-99999; 100000; 0; 99999"})
    void arraysAreKeptAsRanges(String text, String normal, int count, int min, int max) {
        ArrayIndexes a = ArrayIndexes.parse(text);
        assertEquals(normal, a.toString());
        assertEquals(count, a.count());
        assertEquals(min, a.min());
        assertEquals(max, a.max());
    }

    @Test
    void tasksLeaveTheSetOneByOne() {
        ArrayIndexes a = ArrayIndexes.parse("0-10:2");
        assertEquals("2-10:2", a.withoutFirst().toString());
        assertEquals("0,2,6-10:2", a.without(4).toString());
        assertEquals(a, a.without(5));
        assertTrue(a.contains(8) && !a.contains(9));
        ArraySpec throttled = ArraySpec.parse("0-9%4");
        assertEquals(4, throttled.throttle());
        assertTrue(throttled.allowsAnother(3) && !throttled.allowsAnother(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a-b", "5-1", "3:2", "0-10000000", "0-1999999", "1,,2", "0-9%", "0-9%0", "0-9%x"})
    void badArraysAreRefusedWithAReason(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> ArraySpec.parse(text));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void dependenciesInEveryForm() {
        Dependencies d = Dependencies.parse("afterok:12:13_4,afterany:14,after:15+5,singleton");
        assertEquals(List.of(
                new Dependencies.Condition(Dependencies.Type.AFTEROK, 12, null, 0),
                new Dependencies.Condition(Dependencies.Type.AFTEROK, 13, 4, 0),
                new Dependencies.Condition(Dependencies.Type.AFTERANY, 14, null, 0),
                new Dependencies.Condition(Dependencies.Type.AFTER, 15, null, 5),
                new Dependencies.Condition(Dependencies.Type.SINGLETON, 0, null, 0)), d.conditions());
        assertEquals("afterok:12,afterok:13_4,afterany:14,after:15+5,singleton", d.toString());
        assertTrue(Dependencies.parse("afternotok:3?afterok:4").anyOne());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "afterok", "afterok:", "afterok:x", "afterok:0", "AFTEROK:1", "before:1",
            "afterok:1+5", "afterok:1,afterany:2?after:3", "afterok:1_x"})
    void badDependenciesAreRefusedWithAReason(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> Dependencies.parse(text));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void aftercorrNamesWholeArrays() {
        Dependencies d = Dependencies.parse("aftercorr:5:6?afterok:7");
        assertEquals(List.of(
                new Dependencies.Condition(Dependencies.Type.AFTERCORR, 5, null, 0),
                new Dependencies.Condition(Dependencies.Type.AFTERCORR, 6, null, 0),
                new Dependencies.Condition(Dependencies.Type.AFTEROK, 7, null, 0)), d.conditions());
        assertEquals("aftercorr:5?aftercorr:6?afterok:7", d.toString());
        assertEquals("aftercorr:5,singleton", Dependencies.parse("aftercorr:5,singleton").toString());
    }

    @Test
    void aftercorrRefusesOneTaskAndADelayNamingThePart() {
        var task = assertThrows(IllegalArgumentException.class, () -> Dependencies.parse("aftercorr:5_1"));
        assertEquals("'aftercorr:5_1': aftercorr names a whole array, not one task ('5_1'); write aftercorr:5",
                task.getMessage());
        var delay = assertThrows(IllegalArgumentException.class, () -> Dependencies.parse("afterok:4,aftercorr:5+3"));
        assertEquals("'aftercorr:5+3': only 'after' takes a +minutes delay", delay.getMessage());
    }
}
