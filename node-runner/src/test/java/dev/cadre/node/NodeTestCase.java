package dev.cadre.node;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of real jobs on a {@link NodeUnderTest} over its own state and work directories, closed after each. */
abstract class NodeTestCase {
    @TempDir
    Path state;
    @TempDir
    Path work;
    NodeUnderTest node;

    @BeforeEach
    void startNode() {
        node = new NodeUnderTest(state, work);
    }

    /** After a subclass's own clean-up: JUnit runs a subclass's {@code @AfterEach} methods first. */
    @AfterEach
    void closeNode() throws IOException {
        node.close();
    }
}
