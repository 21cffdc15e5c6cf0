package dev.cadre.node;

import dev.cadre.node.core.WarningSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * scontrol suspend and resume of an attempt's processes on this node: SIGSTOP to every one of them, SIGCONT to go on.
 * A suspended attempt is marked in its directory, so that a node-runner started again while it is suspended adopts it
 * as it is: its processes stay stopped, its time limit is not armed, and a resume still finds it.
 */
final class AttemptSuspension {
    static final String FILE = "suspended";

    private AttemptSuspension() {
    }

    /** Marks the attempt suspended, or not; written before the signals, so a runner killed meanwhile knows. */
    static void keep(AttemptDirectory dir, boolean suspended) throws IOException {
        Path marker = dir.dir().resolve(FILE);
        if (suspended) {
            Files.writeString(marker, "");
        } else {
            Files.deleteIfExists(marker);
        }
    }

    /** Whether the attempt was left suspended. */
    static boolean kept(AttemptDirectory dir) {
        return Files.exists(dir.dir().resolve(FILE));
    }

    /**
     * Stops every process but the spared one (Cadre's wrapper, which stops nothing of the job's by waiting). Twice: a
     * process forked between the first listing and its signal is found by the second, its parent stopped by then.
     *
     * @return the processes signalled
     */
    static List<Long> stop(JobProcesses processes, long spared) {
        List<String> stop = WarningSignal.killOptions("STOP");
        List<Long> first = processes.signalAllBut(spared, stop);
        List<Long> second = processes.signalAllBut(spared, stop);
        return second.size() > first.size() ? second : first;
    }

    /** Continues every process but the spared one; also after a kill's signal, which a stopped process only gets so. */
    static List<Long> proceed(JobProcesses processes, long spared) {
        return processes.signalAllBut(spared, WarningSignal.killOptions("CONT"));
    }
}
