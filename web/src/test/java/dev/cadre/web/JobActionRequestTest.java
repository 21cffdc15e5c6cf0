package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a job action names its job ("12", "12_3") and reads its body, before anything reaches the scheduler. */
class JobActionRequestTest {

    @Test
    void jobReferencesAreJobsOrArrayTasks() {
        assertEquals(Optional.of(new JobReference(12, null)), JobReference.parse("12"));
        assertEquals(Optional.of(new JobReference(12, 3)), JobReference.parse("12_3"));
        assertEquals("12_3", new JobReference(12, 3).toString());
        assertEquals(new JobReference(12, 4), new JobReference(12, null).withTask(4));
        for (String bad : new String[] {"", "x", "12_", "_3", "12_3_4", "12_12345678", "1234567890123456789"}) {
            assertEquals(Optional.empty(), JobReference.parse(bad), bad);
        }
        Route action = new JobsApi(null, null, null, null).routes().stream()
                .filter(r -> r.method().equals("POST") && r.template().equals("/api/jobs/{id}/{action}"))
                .findFirst().orElseThrow();
        assertEquals(Optional.of(java.util.List.of("12_3", "requeue")), action.match("/api/jobs/12_3/requeue"));
        assertFalse(action.match("/api/jobs/12/delete").isPresent());
    }

    @Test
    void anEmptyBodyTakesEveryDefault() throws Exception {
        ActionBody none = ActionBody.parse("", "hold", Set.of("taskId", "admin"));
        assertNull(none.taskId());
        assertFalse(none.flag("admin"));
        assertNull(ActionBody.parse(null, "cancel", Set.of("taskId")).taskId());
    }

    @Test
    void fieldsAreTypedAndNamedWhenWrong() throws Exception {
        ActionBody body = ActionBody.parse("{\"taskId\":3,\"admin\":true}", "hold", Set.of("taskId", "admin"));
        assertEquals(3, body.taskId());
        assertTrue(body.flag("admin"));
        assertEquals("taskId", refused("{\"taskId\":-1}", Set.of("taskId")).field);
        assertEquals("taskId", refused("{\"taskId\":\"3\"}", Set.of("taskId")).field);
        assertEquals("admin", refused("{\"admin\":\"yes\"}", Set.of("admin")).field);
        assertEquals("nice", refused("{\"nice\":1.5}", Set.of("nice")).field);
        assertEquals("name", refused("{\"name\":7}", Set.of("name")).field);
        ApiException unknown = refused("{\"hold\":true}", Set.of("taskId", "admin"));
        assertEquals("hold", unknown.field);
        assertEquals("'hold' is not a field of hold; it takes [admin, taskId]", unknown.getMessage());
        assertEquals(400, refused("[1]", Set.of()).status);
        assertTrue(refused("{\"taskId\":", Set.of("taskId")).getMessage().startsWith("malformed JSON"));
    }

    @Test
    void aSignalIsCheckedAsTheSchedulerChecksItSoABadOneIsA400() throws Exception {
        JobReference job = new JobReference(12, null);
        assertEquals(new dev.cadre.protocol.ControlRequest.SignalJob(12, null, "USR1", false),
                JobActions.signal(job, ActionBody.parse("{\"signal\":\"SIGUSR1\"}", "signal", SIGNAL_FIELDS), null));
        assertEquals("40", JobActions.signal(job, ActionBody.parse("{\"signal\":\"40\"}", "signal",
                SIGNAL_FIELDS), null).signal());
        // Shaped like a signal, but no signal: the scheduler would refuse it, so it never gets that far.
        for (String bad : new String[] {"NOPE", "SIGFOO", "65", "0", "", "usr1"}) {
            ApiException e = assertThrows(ApiException.class, () -> JobActions.signal(job,
                    ActionBody.parse("{\"signal\":\"" + bad + "\"}", "signal", SIGNAL_FIELDS), null), bad);
            assertEquals(400, e.status, bad);
            assertEquals("signal", e.field, bad);
            assertTrue(e.getMessage().startsWith("signal: "), e.getMessage());
        }
        assertEquals(400, assertThrows(ApiException.class,
                () -> JobActions.signal(job, ActionBody.parse("{}", "signal", SIGNAL_FIELDS), null)).status);
    }

    private static final Set<String> SIGNAL_FIELDS = Set.of("taskId", "signal", "batchOnly");

    private static ApiException refused(String body, Set<String> allowed) {
        return assertThrows(ApiException.class, () -> {
            ActionBody b = ActionBody.parse(body, "hold", allowed);
            b.taskId();
            b.flag("admin");
            b.whole("nice", -10, 10);
            b.text("name");
        });
    }
}
