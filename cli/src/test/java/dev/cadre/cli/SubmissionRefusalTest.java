package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SubmissionRefusalTest {
    @Test
    void slurmsWordsGoByCodeAndForNodesByField() {
        assertEquals("Node count specification invalid", SubmissionRefusal.slurmReason("unsatisfiable", "spec.nodes"));
        assertEquals("Requested node configuration is not available",
                SubmissionRefusal.slurmReason("unsatisfiable", "spec.gpusPerTask"));
        assertEquals("Requested node configuration is not available",
                SubmissionRefusal.slurmReason("unsatisfiable", "spec.nodelist"), "a known host too small");
        assertEquals("Invalid node name specified", SubmissionRefusal.slurmReason("unknown-node", "spec.nodelist"));
        assertEquals("Job dependency problem", SubmissionRefusal.slurmReason("unknown-dependency", "spec.dependency"));
        assertEquals("Requested time limit is invalid (missing or exceeds some limit)",
                SubmissionRefusal.slurmReason("unreachable-deadline", "spec.deadline"), "slurmctld's for a deadline");
    }

    @Test
    void otherRefusalsAreCadresReasonAlone() {
        assertNull(SubmissionRefusal.slurmReason("invalid-field", "spec.nodes"), "a malformed spec is not Slurm's");
        assertNull(SubmissionRefusal.slurmReason("some-later-code", null));
        assertNull(SubmissionRefusal.slurmReason(null, null), "an older head, or no answer");
    }
}
