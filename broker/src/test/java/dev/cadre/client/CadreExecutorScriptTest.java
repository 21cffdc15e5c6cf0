package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CadreExecutorScriptTest {

    @Test
    void theShellPassesEveryWordUnchanged() throws Exception {
        List<String> words = List.of("printf", "%s|", "it's", "$HOME", "a b", "`x`", "\\n", "");
        String script = CadreExecutor.script(words);
        assertTrue(script.startsWith("#!/bin/sh\nexec 'printf' "), script);
        Process p = new ProcessBuilder("/bin/sh", "-c", script.substring(script.indexOf('\n') + 1)).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "sh did not finish");
        assertEquals("it's|$HOME|a b|`x`|\\n||", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void refusesEmptyCommandsAndNulCharacters() {
        assertThrows(IllegalArgumentException.class, () -> CadreExecutor.script(List.of()));
        assertThrows(IllegalArgumentException.class, () -> CadreExecutor.script(List.of("a\0b")));
    }

    @Test
    void theEnvironmentPassedOnKeepsEveryNameAJobCanTake() {
        var env = CadreExecutor.Settings.passedOn(java.util.Map.of("PATH", "/usr/bin",
                "BASH_FUNC_module%%", "() {  eval \"$(lmod bash)\"\n}", "A-B", "1", "x".repeat(5000), "too long"));
        assertEquals(java.util.Map.of("PATH", "/usr/bin", "BASH_FUNC_module%%", "() {  eval \"$(lmod bash)\"\n}",
                "A-B", "1"), env);
    }
}
