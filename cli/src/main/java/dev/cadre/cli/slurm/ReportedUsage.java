package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ResourceUsage;

/**
 * Usage figures as the REST API gives them: an attempt's {@code usage} (sacct) and each node's of a running job's
 * {@code GET /api/jobs/ID/usage} (sstat), read the same way.
 */
final class ReportedUsage {
    private ReportedUsage() {
    }

    /** The {@code usage} object of an attempt or a node's reading, or null when it has none. */
    static ResourceUsage of(Json holder) {
        Json u = holder.path("usage");
        if (!u.isObject()) {
            return null;
        }
        // A head from before the virtual memory and disk figures leaves them out: unknown.
        return new ResourceUsage(figure(u, "userCpuMicros"), figure(u, "systemCpuMicros"), figure(u, "maxRssBytes"),
                figure(u, "maxVmSizeBytes"), figure(u, "diskReadBytes"), figure(u, "diskWriteBytes"));
    }

    /** A figure: a number 0 or more, else unknown (a head that answers otherwise is not believed). */
    static Long figure(Json object, String field) {
        Json v = object.path(field);
        return v.isNumber() && v.asLong() >= 0 ? v.asLong() : null;
    }
}
