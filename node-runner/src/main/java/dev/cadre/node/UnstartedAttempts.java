package dev.cadre.node;

import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link JobSupervisor} answers a place-job whose attempt does not start here: one that ended here already
 * (also between its lookup and its start) is reported again with its recorded outcome; one refused or failed before
 * its start is reported, its outcome recorded and its directory removed; a repeat of one running here is ignored.
 */
final class UnstartedAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(UnstartedAttempts.class);
    private final AttemptEvents events;
    private final EndedAttempts ended;
    private final LaunchPreparation preparation;

    UnstartedAttempts(AttemptEvents events, EndedAttempts ended, LaunchPreparation preparation) {
        this.events = events;
        this.ended = ended;
        this.preparation = preparation;
    }

    void reportAgain(NodeCommand.PlaceJob place, EndedAttempts.Ended earlier) throws Exception {
        LOG.info("job {} attempt {} already ended here; reporting its outcome again", place.jobId(), place.attempt());
        events.send(earlier.event());
    }

    /** Reports the attempt failed and forgets it, removing {@code dir} unless null (there is none). */
    void reportFailed(AttemptDirectory dir, NodeCommand.PlaceJob place, String error) throws Exception {
        report(dir, place, preparation.failure(place, error));
    }

    /** Reports how the attempt ended before it started, and forgets it, removing {@code dir} unless null. */
    void report(AttemptDirectory dir, NodeCommand.PlaceJob place, RunnerEvent outcome) throws Exception {
        LOG.warn("job {}: {}", place.jobId(), outcome instanceof RunnerEvent.RunnerFinished f ? f.error()
                : ((RunnerEvent.RunnerFailed) outcome).error());
        events.send(outcome);
        ended.record(place.jobId(), place.attempt(), place.jobKey(), outcome);
        if (dir != null) {
            dir.delete();
        }
    }

    /**
     * A place-job for an attempt whose directory is here already is ignored.
     *
     * @param known the attempt running here under its id; null when none is
     */
    void ignoreRepeated(NodeCommand.PlaceJob place, RunningAttempt known) {
        if (known != null && place.jobKey() != null && known.jobKey != null
                && !place.jobKey().equals(known.jobKey)) {
            // Its directory and cgroup are the running one's: it cannot start beside it. What ends is reported.
            LOG.warn("job {} attempt {}: another job of this id still runs here (job key {}, this place-job's"
                    + " {}); was cadre.db restored from a backup or made anew? This place-job is ignored",
                    place.jobId(), place.attempt(), known.jobKey, place.jobKey());
            return;
        }
        LOG.info("job {} attempt {} is already known here; ignoring the repeated place-job", place.jobId(),
                place.attempt());
    }

    /**
     * An end records its outcome before it removes its directory ({@link ReportedEnds}), so a first copy that ended
     * between the place-job's lookup and its directory's making is found now: looked up again, it runs nothing, and
     * its outcome is reported again. Whether it did so.
     */
    boolean endedMeanwhile(NodeCommand.PlaceJob place, AttemptDirectory dir, Path cgroup) throws Exception {
        Optional<EndedAttempts.Ended> meanwhile = ended.findEnded(place.jobId(), place.attempt());
        if (meanwhile.isEmpty() || !meanwhile.get().answers(place)) {
            return false;
        }
        dir.delete();
        if (cgroup != null) {
            AttemptCgroups.removeIfEmpty(cgroup);
        }
        reportAgain(place, meanwhile.get());
        return true;
    }
}
