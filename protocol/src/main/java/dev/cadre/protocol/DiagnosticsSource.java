package dev.cadre.protocol;

/**
 * Where the head's scheduling statistics are read and reset, in the head's own process: the scheduler offers it, the
 * REST API reads it (GET /api/diagnostics, /metrics). Both are cheap and safe from any thread.
 */
public interface DiagnosticsSource {
    DiagnosticsReport report();

    /** Starts counting again from now (sdiag -r); the current pending and running counts are kept. */
    void reset();
}
