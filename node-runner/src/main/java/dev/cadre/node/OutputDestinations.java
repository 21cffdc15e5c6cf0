package dev.cadre.node;

import dev.cadre.broker.ClientFile;
import dev.cadre.node.core.LaunchPlan;
import dev.cadre.protocol.JobSpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an attempt may write, judged on the node where it starts. The head checks the paths of a spec as text
 * ({@link JobSpecValidator}), but the node opens them as its own user (root by default) and follows links: a link in
 * any directory of the path, or the file itself being a link (a dangling one is created where it leads), takes the
 * output anywhere. So each path is followed here as the system would open it, and refused when it ends in a system
 * tree, or in Cadre's own directories: the node's state and runtime directories, and the data directory holding the
 * state directory (a head's, with its secrets and database; a node's, with node.json). Not a boundary against the
 * job itself, which runs as the same user and can do all of that in its script; it keeps a path given by mistake (or
 * a link left lying around) from truncating the system's files or Cadre's own.
 */
final class OutputDestinations {
    private static final int MAX_LINKS = 40;
    /** Real path of each of Cadre's directories, and what it is. */
    private final Map<Path, String> own;

    OutputDestinations(Map<Path, String> own) {
        this.own = new LinkedHashMap<>(own);
    }

    /**
     * The node's directories, followed to where they really are.
     *
     * @param runtimeDir the runtime directory (the state directory where attempts are kept there)
     */
    static OutputDestinations of(Path stateDir, Path runtimeDir) throws IOException {
        // The innermost first, so that a refusal names the directory the path is really in.
        Map<Path, String> own = new LinkedHashMap<>();
        Path state = stateDir.toRealPath();
        own.put(state, NodeIdentity.STATE_DIRECTORY);
        own.putIfAbsent(runtimeDir.toRealPath(), "the node's runtime directory");
        Path parent = state.getParent();
        if (parent != null && (Files.exists(parent.resolve(ClientFile.CLIENT_FILE))
                || Files.exists(parent.resolve(ClientFile.NODE_FILE)))) {
            own.putIfAbsent(parent, "Cadre's data directory");
        }
        return new OutputDestinations(own);
    }

    /** Why the plan's working directory or outputs may not be used, or empty when they may. */
    Optional<String> refusal(LaunchPlan plan) {
        return refusal(plan.workDir(), plan.stdout(), plan.stderr());
    }

    /**
     * @param stdout the resolved output path
     * @param stderr the resolved error path; null when it goes with stdout
     */
    Optional<String> refusal(Path workDir, Path stdout, Path stderr) {
        List<String> problems = new ArrayList<>();
        check(problems, "working directory", workDir, false);
        check(problems, "stdout", stdout, true);
        if (stderr != null) {
            check(problems, "stderr", stderr, true);
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private void check(List<String> problems, String what, Path path, boolean written) {
        Path real;
        try {
            real = opened(path);
        } catch (IOException e) {
            problems.add(what + " " + path + " cannot be followed: " + e.getMessage());
            return;
        }
        String shown = what + " " + path + (real.equals(path) ? "" : " (really " + real + ")");
        Optional<String> tree = JobSpecValidator.systemTree(real.toString(), written);
        if (tree.isPresent()) {
            problems.add(shown + " is under " + tree.get() + (written ? "; system files are never job output" : ""));
            return;
        }
        for (Map.Entry<Path, String> dir : own.entrySet()) {
            if (real.startsWith(dir.getKey())) {
                problems.add(shown + " is in " + dir.getValue() + " " + dir.getKey()
                        + ", whose files are Cadre's own");
                return;
            }
        }
    }

    /**
     * Where opening {@code path} (creating it if missing) really reaches: an existing path's real path; a dangling
     * link followed to its target, which opening creates; a missing file under its parent's real path.
     */
    static Path opened(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int links = 0; ; links++) {
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            if (!Files.isSymbolicLink(p)) {
                Path parent = p.getParent();
                return parent == null ? p : opened(parent).resolve(p.getFileName()).normalize();
            }
            if (links == MAX_LINKS) {
                throw new IOException("more than " + MAX_LINKS + " symbolic links");
            }
            p = p.resolveSibling(Files.readSymbolicLink(p));
        }
    }
}
