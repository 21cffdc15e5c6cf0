package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.activemq.artemis.core.server.files.FileStoreMonitor;
import org.junit.jupiter.api.Test;

/**
 * The fullness the submission bound compares is Artemis' own, so that it stays below Artemis' bound; df's figure,
 * which leaves out the blocks reserved for root, is named beside it so that an operator can match it.
 */
class SubmissionDiskLimitTest {
    private static final long G = 1L << 30;
    /** Review 98's file system: df said 252G size, 30G used, 72G available, 30%. */
    private static final SubmissionDiskLimit.Space REVIEWED = new SubmissionDiskLimit.Space(252 * G, 72 * G,
            (252 - 30) * G);

    @Test
    void fullnessIsArtemisFigureAndDfsIsNamedBesideIt() {
        assertEquals(72, REVIEWED.percentFull());
        assertEquals((int) Math.ceil(100 * FileStoreMonitor.calculateUsage(72 * G, 252 * G)),
                REVIEWED.percentFull(), "as Artemis counts it");
        assertEquals(30, REVIEWED.dfPercent());
        // Without blocks reserved for root the two agree.
        var plain = new SubmissionDiskLimit.Space(100 * G, 4 * G, 4 * G);
        assertEquals(96, plain.percentFull());
        assertEquals(96, plain.dfPercent());
        assertEquals(0, new SubmissionDiskLimit.Space(0, 0, 0).percentFull(), "a size unknown is not full");
    }

    @Test
    void refusedOnlyAboveTheBoundNamingTheDiskAndBothFigures() {
        assertEquals(Optional.empty(), SubmissionDiskLimit.refusal(REVIEWED, 72, "/dev/vda"));
        assertEquals(Optional.of("the head's disk (/dev/vda) is 72% full as the broker counts it, the space reserved"
                + " for root as used (df's Use%: 30%); submissions are refused above 71% until space is freed"),
                SubmissionDiskLimit.refusal(REVIEWED, 71, "/dev/vda"));
    }
}
