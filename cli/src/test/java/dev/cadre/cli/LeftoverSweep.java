package dev.cadre.cli;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes, after each test class, every {@link CadreProcess} its tests did not close, so that no head, node or job
 * of a test runs on after it, whether the test passed or failed, stopped its head or not. Registered for every
 * test of this module by JUnit's extension autodetection (src/test/resources/META-INF/services).
 */
public final class LeftoverSweep implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // A nested class ends before its outer one, whose heads its tests may still use.
        if (context.getRequiredTestClass().getEnclosingClass() == null) {
            CadreProcess.closeAll();
        }
    }
}
