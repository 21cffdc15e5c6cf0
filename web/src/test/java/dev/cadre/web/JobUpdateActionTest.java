package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * POST /api/jobs/{id}/update with arrayTaskThrottle, beginTime and dependency (scontrol update ArrayTaskThrottle=,
 * StartTime=, Dependency=): passed to the scheduler as update-job's fields, a value of the wrong shape a 400 naming
 * its field before anything is sent.
 */
class JobUpdateActionTest {
    private static final JobSpec SPEC = JobSpec.builder().name("sweep").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/tmp").array("1-9%2").build();

    private static ControlRequest.UpdateJob update(String body) throws Exception {
        return JobActions.update(new JobReference(12, null), SPEC, ActionBody.parse(body, "update",
                JobActions.FIELDS.get("update")), "k-1");
    }

    @Test
    void theNewFieldsGoToTheScheduler() throws Exception {
        assertEquals(new ControlRequest.UpdateJob(12, null, null, null, null, null, null, "k-1", 4,
                Instant.parse("2026-11-21T12:00:00Z"), "afterok:11"), update("{\"arrayTaskThrottle\":4,"
                + "\"beginTime\":\"2026-11-21T12:00:00Z\",\"dependency\":\"afterok:11\"}"));
        assertEquals(0, update("{\"arrayTaskThrottle\":0}").arrayTaskThrottle());
        assertEquals("", update("{\"dependency\":\"\"}").dependency(), "an empty dependency removes it");
        assertEquals(Instant.parse("2026-11-21T18:00:00Z"), update("{\"deadline\":\"2026-11-21T18:00:00Z\"}")
                .deadline());
    }

    @Test
    void aReservationGoesToTheSchedulerAndAnEmptyOneTakesTheJobOut() throws Exception {
        assertEquals("maint", update("{\"reservation\":\"maint\"}").reservation());
        assertEquals("", update("{\"reservation\":\"\"}").reservation());
        ApiException e = assertThrows(ApiException.class, () -> update("{\"reservation\":\"../x\"}"));
        assertEquals(400, e.status);
        assertEquals("reservation", e.field);
        assertEquals("'reservation' must be 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or"
                + " digit", e.getMessage());
        assertEquals("reservation", assertThrows(ApiException.class, () -> update("{\"reservation\":7}")).field);
    }

    @Test
    void aValueOfTheWrongShapeIsA400NamingItsField() {
        String[][] cases = {
            {"{\"arrayTaskThrottle\":-1}", "arrayTaskThrottle"},
            {"{\"arrayTaskThrottle\":2.5}", "arrayTaskThrottle"},
            {"{\"arrayTaskThrottle\":10000000}", "arrayTaskThrottle"},
            {"{\"beginTime\":\"tomorrow\"}", "beginTime"},
            {"{\"beginTime\":12}", "beginTime"},
            {"{\"dependency\":\"afterwards:11\"}", "dependency"},
            {"{\"deadline\":\"tonight\"}", "deadline"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> update(c[0]), c[0]);
            assertEquals(400, e.status, c[0]);
            assertEquals(c[1], e.field, c[0]);
        }
        assertTrue(assertThrows(ApiException.class, () -> update("{}")).getMessage().contains("arrayTaskThrottle"));
    }
}
