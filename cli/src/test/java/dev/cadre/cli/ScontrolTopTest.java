package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** slurmctld's words for a refused top, chosen by the head's status and refusal code. */
class ScontrolTopTest {
    @Test
    void eachRefusalInSlurmsWords() {
        assertEquals("Invalid job id specified", ScontrolTop.refusal(404, null, "job 12 was never submitted"));
        assertEquals("Access/permission denied", ScontrolTop.refusal(403, "access-denied", "only an operator"));
        assertEquals("Job is no longer pending execution", ScontrolTop.refusal(409, "not-pending", "job 12 is RUNNING"));
        assertEquals("Job is in held state, pending scheduler release", ScontrolTop.refusal(409, "held", "held"));
        assertEquals("moving them would take job 12's nice to -10009, beyond +-10000", ScontrolTop.refusal(409,
                "out-of-range", "moving them would take job 12's nice to -10009, beyond +-10000"));
    }
}
