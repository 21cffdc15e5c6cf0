package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Chooses which pending jobs start now and where. Pure: the same inputs give the same result.
 */
public interface PlacementPolicy {

    /**
     * @param queue jobs that may start now (held, dependent and not-yet-begun ones are already left out), in
     *        priority order; it may be read lazily, so a policy reads it once, front to back, and stops as soon
     *        as the rest cannot matter
     * @param free free resources of each usable node, in placement preference order; a policy copies it before
     *        taking from it
     * @param running when each running job is expected to give its resources back (its time limit)
     */
    Result place(Iterable<Candidate> queue, FreeResources free, List<Release> running, Instant now);

    /**
     * A pending job that may start now, and how many times: an array's record offers one copy per task that
     * may start (its pending tasks, within its throttle); any other job offers one.
     */
    record Candidate(JobRecord job, int copies) {
    }

    /**
     * @param waitReasons Slurm's reason name (Resources, Priority, ...) for queued jobs whose reason is not
     *        othersWait
     * @param othersWait the reason of every other queued job that was not placed
     */
    record Result(List<Placement> placements, Map<Long, String> waitReasons, String othersWait) {
    }

    /** The policies a scheduler can be configured with, by their configuration names. */
    enum Kind {
        FCFS("fcfs"), EASY("easy-backfill"), CONSERVATIVE("conservative-backfill");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Kind byName(String name) {
            for (Kind k : values()) {
                if (k.configName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown scheduling policy '" + name
                    + "'; use fcfs, easy-backfill or conservative-backfill");
        }

        public PlacementPolicy create(SchedulerSettings settings) {
            return switch (this) {
                case FCFS -> new FcfsPolicy();
                case EASY -> new EasyBackfillPolicy(settings.backfillDepth());
                case CONSERVATIVE -> new ConservativeBackfillPolicy(settings.backfillDepth(),
                        settings.backfillResolution(), settings.backfillWindow());
            };
        }
    }
}
