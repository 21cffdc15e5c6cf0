package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * POST /api/jobs/{id}/update with mailType and mailUser (scontrol update MailType= MailUser=): passed to the scheduler
 * as update-job's fields, a wrong one a 400 naming its field before anything is sent.
 */
class JobMailUpdateActionTest {
    private static final JobSpec SPEC = JobSpec.builder().name("run").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/tmp").build();

    private static dev.cadre.protocol.ControlRequest.UpdateJob update(String body) throws Exception {
        return JobActions.update(new JobReference(12, null), SPEC, ActionBody.parse(body, "update",
                JobActions.FIELDS.get("update")), "k-1");
    }

    @Test
    void theMailFieldsGoToTheScheduler() throws Exception {
        var u = update("{\"mailType\":[\"END\",\"TIME_LIMIT_50\"],\"mailUser\":\"bob@example.org\"}");
        assertEquals(List.of("END", "TIME_LIMIT_50"), u.mailType());
        assertEquals("bob@example.org", u.mailUser());
        assertEquals("", update("{\"mailUser\":\"\"}").mailUser(), "the job's user again");
        assertNull(update("{\"mailUser\":\"\"}").mailType());
        assertEquals(List.of("NONE"), update("{\"mailType\":[\"NONE\"]}").mailType());
    }

    @Test
    void aWrongMailFieldIsA400NamingIt() {
        String[][] cases = {
            {"{\"mailType\":[\"NOON\"]}", "mailType"},
            {"{\"mailType\":[]}", "mailType"},
            {"{\"mailType\":[\"NONE\",\"END\"]}", "mailType"},
            {"{\"mailType\":\"END\"}", "mailType"},
            {"{\"mailUser\":\"-oQ/tmp/x\"}", "mailUser"},
            {"{\"mailUser\":7}", "mailUser"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> update(c[0]), c[0]);
            assertEquals(400, e.status, c[0]);
            assertEquals(c[1], e.field, c[0]);
        }
        assertTrue(assertThrows(ApiException.class, () -> update("{}")).getMessage().contains("mailUser"));
    }
}
