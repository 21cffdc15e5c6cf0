package dev.cadre.node.core;

import java.nio.file.Path;

/**
 * An attempt's output files on its coordinating node.
 *
 * @param stderr null when stderr goes to the stdout file
 */
public record OutputPaths(Path stdout, Path stderr) {

    /** The file of a stream; null when the attempt has no file of its own for it. */
    public Path of(String stream) {
        return "stdout".equals(stream) ? stdout : "stderr".equals(stream) ? stderr : null;
    }
}
