package dev.cadre.cli;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes every {@link CadreProcess} a test did not close, after the test for one it made and after its class for one
 * made by the class's set-up, so that no head, node or job of a test runs on after it, whether the test passed or
 * failed, stopped its head or not. A test (or class) that passed but left processes running, which had to be killed,
 * fails for it, naming them, as node-runner's OutlivingProcesses fails a test: a job meant to end with its test would
 * otherwise loop on in a removed directory, and a test that lets a job run on unnoticed hides a cancel or an end
 * that never came. One that failed already is only cleaned up after. Registered for every test of this module by
 * JUnit's extension autodetection (src/test/resources/META-INF/services).
 */
public final class LeftoverSweep implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    private static final ExtensionContext.Namespace FAILURES = ExtensionContext.Namespace.create(LeftoverSweep.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // A class's set-up is no test's, also when the class runs inside a test (LeftoverSweepTest).
        CadreProcess.testRunning(false);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CadreProcess.testRunning(true);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        CadreProcess.testRunning(false);
        CadreProcess.closeAll(true);
        if (context.getExecutionException().isPresent()) {
            outermostClass(context).getStore(FAILURES).put("a test failed", true);
        }
        judge(context, context.getRequiredTestClass().getName() + "." + context.getRequiredTestMethod().getName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // A nested class ends before its outer one, whose heads its tests may still use.
        if (context.getRequiredTestClass().getEnclosingClass() == null) {
            CadreProcess.closeAll(false);
        }
        judge(context, context.getRequiredTestClass().getName());
    }

    /** Fails the test or class that just ended for what it left, unless it failed already (so it is the cause). */
    private static void judge(ExtensionContext context, String test) {
        List<String> killed = CadreProcess.takeKilled();
        boolean failedAlready = context.getExecutionException().isPresent()
                || outermostClass(context).getStore(FAILURES).get("a test failed") != null;
        if (!killed.isEmpty() && !failedAlready) {
            throw new AssertionError(test + " left processes running after its end, now killed (let each job end,"
                    + " or cancel it and wait for its end, before the test ends):\n  " + String.join("\n  ", killed));
        }
    }

    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            c = c.getParent().orElseThrow();
        }
        return c;
    }
}
