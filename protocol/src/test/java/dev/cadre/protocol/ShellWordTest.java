package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile words through a real sh and bash: each comes out as it went in, and nothing in it runs. */
class ShellWordTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "'", "''", "'\\''", "a b\tc\nd", "$(touch pwned)", "`touch pwned`", "${HOME}", "$HOME",
            "\\", "\\'", "\"", "\"'\"", "!!", "*", "?[a]", "~", "-n", "--", ";touch pwned;", "a && touch pwned",
            "| touch pwned", "> pwned", "<(touch pwned)", "#", "\u00e9\u4e2d\ud83d\ude00", "\r", "'$'\\n''"})
    void aWordComesOutOfTheShellAsItWentIn(String word) throws Exception {
        for (String shell : List.of("sh", "bash")) {
            Process p = new ProcessBuilder(shell, "-c", "printf '%s' " + ShellWord.quote(word))
                    .directory(new java.io.File(System.getProperty("java.io.tmpdir"))).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), shell + " did not end");
            assertEquals(word, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), shell);
            assertEquals("", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), shell);
            assertEquals(0, p.exitValue(), shell);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0", "a\0b"})
    void aNulIsRefused(String word) {
        assertEquals("a shell word cannot hold a NUL character",
                assertThrows(IllegalArgumentException.class, () -> ShellWord.quote(word)).getMessage());
    }
}
