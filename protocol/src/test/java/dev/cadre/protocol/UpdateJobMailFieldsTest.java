package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * update-job's mailType and mailUser (scontrol update MailType= MailUser=, docs/protocol.md 5.5): they travel, an
 * update sent before they existed decodes without them, and wrong ones are refused by a submission's rules, naming
 * the field.
 */
class UpdateJobMailFieldsTest {
    private static ControlRequest.UpdateJob mail(List<String> types, String user) {
        return new ControlRequest.UpdateJob(12, null, null, null, null, null, null, "r-1", null, null, null, null,
                types, user);
    }

    @Test
    void theMailFieldsTravel() throws Exception {
        var sent = mail(List.of("BEGIN", "TIME_LIMIT_50"), "bob@example.org");
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent)));
        var reset = mail(List.of("NONE"), "");
        assertEquals(reset, MessageCodec.decode(MessageCodec.encode(reset)));
    }

    /** job-updated carries the fields as changed; one from a scheduler before them decodes without them. */
    @Test
    void theJobUpdatedEventCarriesThemAndOldOnesDecode() throws Exception {
        var event = new JobEvent.JobUpdated(12, "alice", "sweep", JobState.RUNNING, null, null, 60L, null, null,
                Instant.parse("2026-11-21T10:00:03.112Z"), null, null, null, null, null, null,
                List.of("END", "FAIL"), "bob@example.org");
        assertEquals(event, MessageCodec.decode(MessageCodec.encode(event)));
        var old = (JobEvent.JobUpdated) MessageCodec.decode("{\"version\":1,\"type\":\"job-updated\",\"jobId\":42,"
                + "\"user\":\"alice\",\"state\":\"PENDING\",\"time\":\"2026-11-21T10:00:03.112Z\","
                + "\"deadline\":null}");
        assertNull(old.mailType());
        assertNull(old.mailUser());
    }

    @Test
    void anUpdateWithoutThemDecodesWithNone() throws Exception {
        var decoded = (ControlRequest.UpdateJob) MessageCodec.decode("{\"version\":1,\"type\":\"update-job\","
                + "\"jobId\":42,\"nice\":100,\"deadline\":\"2026-11-21T18:00:00Z\"}");
        assertNull(decoded.mailType());
        assertNull(decoded.mailUser());
        assertNull(ControlRequestValidator.problem(decoded));
    }

    @Test
    void aMailTypeThatIsNoListOfNamesIsRefusedByTheCodecNamingTheField() {
        for (String bad : new String[] {"{}", "[1]", "true"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(
                    "{\"type\":\"update-job\",\"jobId\":12,\"mailType\":" + bad + "}"), bad);
            assertTrue(e.getMessage().contains("mailType"), e.getMessage());
        }
    }

    @Test
    void wrongMailFieldsAreRefusedNamingTheField() {
        assertEquals("mailType[1]: 'NOON' is not a mail type; use one of " + java.util.Arrays.toString(
                MailType.values()), ControlRequestValidator.problem(mail(List.of("END", "NOON"), null)));
        assertEquals("mailType: NONE must be the only type given",
                ControlRequestValidator.problem(mail(List.of("NONE", "END"), null)));
        assertTrue(ControlRequestValidator.problem(mail(List.of(), null)).startsWith("mailType: must list 1 to"));
        for (String user : new String[] {"-oQ/tmp/x", "a b", "x;rm", "x".repeat(255)}) {
            String why = ControlRequestValidator.problem(mail(null, user));
            assertTrue(why != null && why.startsWith("mailUser: must be a mail address"), user + ": " + why);
        }
    }

    @Test
    void validMailFieldsAndAnEmptyUserPass() {
        assertNull(ControlRequestValidator.problem(mail(List.of("ALL", "TIME_LIMIT_90", "ARRAY_TASKS"), "bob")));
        assertNull(ControlRequestValidator.problem(mail(List.of("NONE"), "")), "'' mails the job's user again");
        assertNull(ControlRequestValidator.problem(mail(null, "alice+jobs@example.org")));
    }
}
