package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchScriptTest {

    @Test
    void aScriptThatIsNotUtf8IsReadAsLatin1KeepingEveryCharacter() {
        byte[] latin1 = "#!/bin/sh\n# M\u00fcller\n#SBATCH -J caf\u00e9\necho \u00bd\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(BatchScript.isUtf8(latin1));
        String text = BatchScript.text(latin1);
        assertEquals("#!/bin/sh\n# M\u00fcller\n#SBATCH -J caf\u00e9\necho \u00bd\n", text);
        assertEquals(List.of("-J", "caf\u00e9"), BatchScript.directives(text));
        // Every byte is one character and back, so nothing is lost.
        assertArrayEquals(latin1, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aUtf8ScriptIsReadAsUtf8() {
        byte[] utf8 = "#!/bin/sh\n# M\u00fcller \u2713\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(BatchScript.isUtf8(utf8));
        assertEquals("#!/bin/sh\n# M\u00fcller \u2713\n", BatchScript.text(utf8));
        assertTrue(BatchScript.isUtf8(new byte[0]));
    }

    @Test
    void readsDirectivesUntilTheFirstCommand() {
        String script = """
                #!/bin/bash
                #SBATCH -J test
                #SBATCH --time=10 -N 2

                # a plain comment
                  # an indented comment
                #SBATCH --mem=1G
                echo hi
                #SBATCH --ntasks=4
                """;
        assertEquals(List.of("-J", "test", "--time=10", "-N", "2", "--mem=1G"), BatchScript.directives(script));
    }

    @Test
    void onlyColumnZeroCounts() {
        String script = "#!/bin/sh\n  #SBATCH -N 3\n\t#SBATCH -n 2\n#SBATCH -c 4\n";
        assertEquals(List.of("-c", "4"), BatchScript.directives(script));
    }

    @Test
    void anIndentedCommandStopsReading() {
        assertEquals(List.of("-N", "1"), BatchScript.directives("#!/bin/sh\n#SBATCH -N 1\n   true\n#SBATCH -n 2\n"));
    }

    @Test
    void unquotedHashStartsAComment() {
        assertEquals(List.of("-J", "a"), BatchScript.directives("#SBATCH -J a # the name\n"));
        assertEquals(List.of("-J", "a"), BatchScript.directives("#SBATCH -J a#b -N 2\n"));
        assertEquals(List.of("-J", "a#b"), BatchScript.directives("#SBATCH -J \"a#b\"\n"));
        assertEquals(List.of("-J", "a#b"), BatchScript.directives("#SBATCH -J a\\#b\n"));
    }

    @Test
    void quotesGroupWordsAndDisappear() {
        assertEquals(List.of("--job-name=a b", "-o", "x y", "--comment=it's"),
                BatchScript.directives("#SBATCH --job-name=\"a b\" -o 'x y' --comment=\"it's\"\n"));
        assertEquals(List.of("-J", "say\"hi\""), BatchScript.directives("#SBATCH -J say\\\"hi\\\"\n"));
        assertEquals(List.of("-J", "abc"), BatchScript.directives("#SBATCH -J a'b'c\n"));
    }

    @Test
    void aBackslashCannotEscapeABlankInSlurm() {
        assertEquals(List.of("-J", "a", "b"), BatchScript.directives("#SBATCH -J a\\ b\n"));
    }

    @Test
    void tabsSeparateWords() {
        assertEquals(List.of("-N", "2", "-n", "4"), BatchScript.directives("#SBATCH\t-N\t2 \t -n 4\t\n"));
    }

    @Test
    void anEmptyWordEndsTheLineAsInSlurm() {
        assertEquals(List.of("--comment"), BatchScript.directives("#SBATCH --comment \"\" -N 2\n"));
    }

    @Test
    void theMagicWordIsAPrefix() {
        assertEquals(List.of("-N2"), BatchScript.directives("#SBATCH-N2\n"));
        assertEquals(List.of(), BatchScript.directives("#SBATCH\n#SBATCH   \n"));
        assertEquals(List.of(), BatchScript.directives("#sbatch -N 2\n"));
    }

    @Test
    void noNewlineAtTheEnd() {
        assertEquals(List.of("-N", "2"), BatchScript.directives("#!/bin/sh\n#SBATCH -N 2"));
    }

    @Test
    void emptyAndNullScriptsHaveNoDirectives() {
        assertEquals(List.of(), BatchScript.directives(""));
        assertEquals(List.of(), BatchScript.directives(null));
    }

    @Test
    void anUnmatchedQuoteIsKeptWhenLenient() {
        assertEquals(List.of("-J", "abc -N 2", "-n", "1"),
                BatchScript.directives("#SBATCH -J \"abc -N 2\n#SBATCH -n 1\n"));
    }

    @Test
    void anUnmatchedQuoteIsRejectedWhenStrict() {
        SlurmUsageException e = assertThrows(SlurmUsageException.class,
                () -> BatchScript.directives("#!/bin/sh\n#SBATCH -J \"abc\n", "job.sh"));
        assertEquals("job.sh: line 2: Unmatched `\"` in [#SBATCH -J \"abc]", e.getMessage());
    }

    @Test
    void detectsTheInterpreterLine() {
        assertTrue(BatchScript.hasInterpreterLine("#!/bin/sh\necho\n"));
        assertTrue(BatchScript.hasInterpreterLine("#!"));
        assertFalse(BatchScript.hasInterpreterLine(" #!/bin/sh\n"));
        assertFalse(BatchScript.hasInterpreterLine("echo\n#!/bin/sh\n"));
        assertFalse(BatchScript.hasInterpreterLine(""));
        assertFalse(BatchScript.hasInterpreterLine(null));
    }
}
