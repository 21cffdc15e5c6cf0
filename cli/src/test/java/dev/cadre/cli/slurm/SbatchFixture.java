package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs SbatchCommandLine against in-memory script files, as a fixed user in a fixed directory. */
abstract class SbatchFixture {

    static final String CWD = "/home/alice/work";
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin", "HOME", "/home/alice", "B", "bee");
    static final String PLAIN = "#!/bin/sh\necho hi\n";
    /** Now, for --begin: a Tuesday afternoon in UTC. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T14:30:00Z"), ZoneOffset.UTC);

    final Map<String, String> files = new HashMap<>(Map.of("job.sh", PLAIN));

    SbatchRequest parse(String... argv) throws SlurmUsageException {
        return parseIn(ENV, argv);
    }

    /** As sbatch run with env as its environment. */
    SbatchRequest parseIn(Map<String, String> env, String... argv) throws SlurmUsageException {
        return SbatchCommandLine.parse(List.of(argv), path -> {
            String text = files.get(path);
            if (text == null) {
                throw new UncheckedIOException(new IOException("No such file: " + path));
            }
            return text;
        }, env, CWD, "alice", "login1", CLOCK);
    }

    JobSpec spec(String... argv) throws SlurmUsageException {
        return parse(argv).spec();
    }

    String error(String... argv) {
        return assertThrows(SlurmUsageException.class, () -> parse(argv)).getMessage();
    }

    /** A complaint of getopt's: its text, then sbatch's line that points to --help. */
    String getoptError(String... argv) {
        List<String> lines = assertThrows(SlurmUsageException.class, () -> parse(argv)).lines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("Try \"sbatch --help\" for more information", lines.get(1));
        return lines.get(0);
    }

    JobSpec withScript(String directives, String... argv) throws SlurmUsageException {
        files.put("s.sh", "#!/bin/bash\n" + directives + "srun hostname\n");
        return spec(argv);
    }
}
