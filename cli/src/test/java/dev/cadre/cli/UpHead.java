package dev.cadre.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One 'cadre up' process for all the tests of a class, in a directory of its own, closed (jobs left running
 * killed) and removed after them: {@code @RegisterExtension static final UpHead head = new UpHead("--cores", "4");}.
 */
final class UpHead implements BeforeAllCallback, AfterAllCallback {
    private final String[] options;
    private Path base;
    private CadreProcess cadre;

    UpHead(String... options) {
        this.options = options;
    }

    CadreProcess cadre() {
        return cadre;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        base = Files.createTempDirectory("cadre-up-" + context.getRequiredTestClass().getSimpleName());
        cadre = new CadreProcess(base);
        cadre.up(options);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        cadre.close();
        CadreProcess.deleteTree(base);
    }
}
