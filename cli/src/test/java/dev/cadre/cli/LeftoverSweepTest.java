package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * LeftoverSweep fails a test that passed but left a process of its own running (a job, to the sweep: its command or
 * working directory is in the test's directory), after killing it, and names the process and the test. The test
 * classes below run through JUnit's launcher, LeftoverSweep autodetected as in every test of this module; they are
 * static classes, not @Nested, so only this test runs them.
 */
class LeftoverSweepTest {
    /** Each process the classes below started: "pid", to check the message names it and that it is gone. */
    static final List<Long> STARTED = new ArrayList<>();

    /** A head of the test's own in {@code base}, which gives what is left a moment, not the usual grace. */
    static CadreProcess cadre(Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.leftoverGrace = Duration.ofMillis(300);
        return cadre;
    }

    /** A "job" in the test's directory, as a stopped node-runner leaves one, running until killed. */
    static void leaveAJob(CadreProcess cadre) throws Exception {
        Process job = new ProcessBuilder("sleep", "3600").directory(cadre.workDir.toFile()).start();
        synchronized (STARTED) {
            STARTED.add(job.pid());
        }
    }

    static class ClosesItsHeadWithAJobRunning {
        @Test
        void passesButLeavesAJob(@TempDir Path base) throws Exception {
            try (CadreProcess cadre = cadre(base)) {
                leaveAJob(cadre);
            }
        }
    }

    static class LeavesItsHeadOpenWithAJobRunning {
        @Test
        void passesButLeavesAJob(@TempDir Path base) throws Exception {
            leaveAJob(cadre(base));
        }
    }

    static class SharesAHeadThatALaterJobOutlives {
        @TempDir
        static Path base;
        static CadreProcess head;

        @BeforeAll
        static void up() throws Exception {
            head = cadre(base);
        }

        @AfterAll
        static void down() throws Exception {
            head.close();
        }

        @Test
        void passesButLeavesAJob() throws Exception {
            leaveAJob(head);
        }
    }

    static class FailsAndLeavesAJob {
        @Test
        void failsOnItsOwn(@TempDir Path base) throws Exception {
            leaveAJob(cadre(base));
            throw new AssertionError("the test's own failure");
        }
    }

    static class LeavesNothing {
        @Test
        void passes(@TempDir Path base) throws Exception {
            try (CadreProcess cadre = cadre(base)) {
                new ProcessBuilder("true").directory(cadre.workDir.toFile()).start().waitFor();
            }
        }
    }

    /** The failure of each test or class that failed, by its name (a method's "name()", a class's simple name). */
    private static List<String> failures(Class<?> tests) {
        synchronized (STARTED) {
            STARTED.clear();
        }
        List<String> failed = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests))
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        result.getThrowable().ifPresent(t -> failed.add(id.getDisplayName() + ": " + t.getMessage()));
                    }
                });
        return failed;
    }

    private static long only() {
        synchronized (STARTED) {
            assertEquals(1, STARTED.size(), STARTED.toString());
            long pid = STARTED.get(0);
            assertFalse(ProcessHandle.of(pid).map(LeftoverProcesses::running).orElse(false), "killed: " + pid);
            return pid;
        }
    }

    private static void assertFailedFor(List<String> failures, String test, long pid) {
        assertEquals(1, failures.size(), failures.toString());
        String failure = failures.get(0);
        assertTrue(failure.contains(test + " left processes running after its end, now killed"), failure);
        assertTrue(failure.contains("\n  " + pid + " ") && failure.contains("sleep 3600"), failure);
    }

    @Test
    void aTestThatClosedItsHeadWithAJobRunningFailsForIt() {
        List<String> failures = failures(ClosesItsHeadWithAJobRunning.class);
        assertFailedFor(failures, ClosesItsHeadWithAJobRunning.class.getName() + ".passesButLeavesAJob", only());
        assertTrue(failures.get(0).startsWith("passesButLeavesAJob(Path)"), failures.toString());
    }

    @Test
    void aTestThatLeftItsHeadOpenIsClosedAndFailsForItsJob() {
        List<String> failures = failures(LeavesItsHeadOpenWithAJobRunning.class);
        assertFailedFor(failures, LeavesItsHeadOpenWithAJobRunning.class.getName() + ".passesButLeavesAJob", only());
    }

    @Test
    void aClassWhoseSharedHeadsJobOutlivedItsTestsFailsAsAClass() {
        List<String> failures = failures(SharesAHeadThatALaterJobOutlives.class);
        assertFailedFor(failures, SharesAHeadThatALaterJobOutlives.class.getName(), only());
        assertTrue(failures.get(0).startsWith("LeftoverSweepTest$SharesAHeadThatALaterJobOutlives: "), "the class"
                + " fails, not its test: " + failures);
    }

    @Test
    void aTestThatFailedKeepsItsOwnFailureAndItsJobIsKilled() {
        assertEquals(List.of("failsOnItsOwn(Path): the test's own failure"), failures(FailsAndLeavesAJob.class));
        only();
    }

    @Test
    void aTestThatLeftNothingPasses() {
        assertEquals(List.of(), failures(LeavesNothing.class));
    }
}
