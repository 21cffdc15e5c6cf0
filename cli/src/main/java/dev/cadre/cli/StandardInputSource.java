package dev.cadre.cli;

import dev.cadre.cli.slurm.SrunInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this process's standard input is, as Linux's /proc shows it, for srun's --input ({@link SrunInput}). */
final class StandardInputSource {
    private static final Path FD0 = Path.of("/proc/self/fd/0");

    private StandardInputSource() {
    }

    /** Whether standard input is /dev/null (or cannot be told from it: no /proc), so there is nothing to send. */
    static boolean isNull() {
        try {
            return Files.readSymbolicLink(FD0).toString().equals("/dev/null");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }

    /** Whether standard input is a terminal, which srun --pty and salloc's shell put in raw mode. */
    static boolean isTerminal() {
        return of().kind() == SrunInput.SourceKind.TERMINAL;
    }

    static SrunInput.Source of() {
        String link;
        try {
            link = Files.readSymbolicLink(FD0).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return new SrunInput.Source(SrunInput.SourceKind.UNKNOWN, null);
        }
        boolean regular = Files.isRegularFile(FD0);
        boolean waiting = false;
        if (!regular) {
            try {
                // A pipe's or socket's bytes already written; nothing is read, so nothing is lost.
                waiting = System.in.available() > 0;
            } catch (IOException e) {
                waiting = false;
            }
        }
        return SrunInput.Source.of(link, regular, waiting);
    }
}
