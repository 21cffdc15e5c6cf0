package dev.cadre.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test (and its own clean-up), no process this JVM started may still run: a job is meant to outlive
 * its node-runner, so one a test leaves running (its launcher, wrapper and script, looping in a temporary directory
 * about to be removed) would run on after the build. What is left after a grace is killed; a test that passed
 * fails for it, one that failed already is only cleaned up after. Registered for every test of this module by
 * JUnit's extension autodetection (src/test/resources/META-INF/services).
 */
public final class OutlivingProcesses implements AfterEachCallback {
    /** Long enough for a released job's script to see its file and a closed launcher to reap its last wrapper. */
    private static final long GRACE_SECONDS = 10;

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<ProcessHandle> left = running();
        if (left.isEmpty()) {
            return;
        }
        if (!ended(left)) {
            List<ProcessHandle> still = running();
            String shown = still.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .collect(Collectors.joining("\n  "));
            still.forEach(ProcessHandle::destroyForcibly);
            ended(still);
            if (context.getExecutionException().isEmpty() && !shown.isEmpty()) {
                throw new AssertionError("the test left processes running " + GRACE_SECONDS + " s after its end"
                        + " (now killed):\n  " + shown);
            }
        }
    }

    private static List<ProcessHandle> running() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }

    private static boolean ended(List<ProcessHandle> processes) throws InterruptedException {
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(GRACE_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
