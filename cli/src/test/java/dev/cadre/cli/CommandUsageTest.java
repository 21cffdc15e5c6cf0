package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemons' --help names every option they take, as docs/configuration.md does. */
class CommandUsageTest {

    @Test
    void upServerAndNodeListEveryOptionTheyTake() throws Exception {
        String reference = Files.readString(CadreProcess.ROOT.resolve("docs/configuration.md"));
        for (String option : Daemons.HEAD_OPTIONS) {
            assertTrue(CommandUsage.UP.contains("--" + option + " "), "cadre up --help lists --" + option);
            assertTrue(CommandUsage.SERVER.contains("--" + option + " ")
                    != Daemons.LOCAL_NODE_OPTIONS.contains(option), "cadre server --help and --" + option);
            assertTrue(reference.contains("`--" + option), "configuration.md has --" + option);
        }
        for (String flag : Daemons.HEAD_FLAGS) {
            assertTrue(CommandUsage.UP.contains("--" + flag + " "), "cadre up --help lists --" + flag);
            assertTrue(CommandUsage.SERVER.contains("--" + flag + " "), "cadre server --help lists --" + flag);
            assertTrue(reference.contains("`--" + flag), "configuration.md has --" + flag);
        }
        for (String option : Daemons.NODE_OPTIONS) {
            assertTrue(CommandUsage.NODE.contains("--" + option), "cadre node --help lists --" + option);
            assertTrue(reference.contains("`--" + option), "configuration.md has --" + option);
        }
    }

    @Test
    void helpIsAskedOnlyBeforeTheCommandOfAService() {
        assertTrue(CommandUsage.asked(List.of("--cores", "2", "--help")));
        assertTrue(CommandUsage.asked(List.of("-h")));
        assertTrue(CommandUsage.asked(List.of("create", "--name", "x", "-h", "--", "server")));
        assertFalse(CommandUsage.asked(List.of("create", "--name", "x", "--", "server", "--help")));
        assertFalse(CommandUsage.asked(List.of("--cores", "2")));
    }
}
