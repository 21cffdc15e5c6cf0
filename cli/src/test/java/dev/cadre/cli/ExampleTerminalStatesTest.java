package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example clients and the MPI benchmark script stop watching at a job's end by their own list of the states
 * that end a job: a state added to {@link JobState} but missing there makes them wait for ever on such a job.
 */
class ExampleTerminalStatesTest {
    @ParameterizedTest
    @ValueSource(strings = {"examples/client_options.py", "examples/jms/JmsWatch.java",
            "bench/run-mpi-launch-bench.sh"})
    void everyStateThatEndsAJobIsListed(String file) throws IOException {
        String text = Files.readString(CadreProcess.ROOT.resolve(Path.of(file)));
        List<String> missing = Arrays.stream(JobState.values())
                // The benchmark script lists the failed ones only; COMPLETED is in the other two.
                .filter(s -> s.isTerminal() && s != JobState.COMPLETED)
                .map(JobState::name)
                .filter(name -> !text.contains(name))
                .toList();
        assertTrue(missing.isEmpty(), file + " does not list " + missing);
    }
}
