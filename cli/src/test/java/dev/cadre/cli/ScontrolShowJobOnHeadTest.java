package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scontrol show job against a whole head in this JVM, as Slurm's scontrol shows them: of an array, every record of
 * the array (its own, holding the pending tasks, first; then the others, newest first), an array's task named
 * alone (a pending one shown as that task), and bad or unknown ids in scontrol's words; without an id or with job 0,
 * every job's record whole, as show job ID prints it, in the order the records were made (slurmctld's job_list: an
 * array's task split off after the jobs submitted before it), and with job 0 and a task ({@code _3}), those of every
 * array holding the task. The list is read in pages of 2 here, so that the pages and the
 * reads of whole records are followed.
 */
class ScontrolShowJobOnHeadTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static final Pattern FIRST_FIELDS = Pattern.compile("JobId=(\\d+) ArrayJobId=(\\d+) ArrayTaskId=(\\S+) ");
    private static RestSession rest;
    private final List<Long> submitted = new ArrayList<>();

    @BeforeAll
    static void open() throws Exception {
        rest = RestSession.of(HEAD);
    }

    @AfterEach
    void cancelWhatWasSubmitted() throws Exception {
        ScontrolOnHead.cancelAndAwaitEnd(HEAD, rest, submitted);
    }

    private static List<Object> scontrol(String... args) {
        return ScontrolOnHead.scontrol(HEAD, args);
    }

    private long submit(String command, String array, boolean later) throws Exception {
        long id = HEAD.submit(command, array, later);
        submitted.add(id);
        return id;
    }

    private long submit(JobSpec.Builder spec) throws Exception {
        long id = HEAD.client().submit(spec.user(System.getProperty("user.name")).build()).accepted()
                .get(30, TimeUnit.SECONDS);
        submitted.add(id);
        return id;
    }

    private static JsonNode job(String ref) throws Exception {
        return rest.ok("GET", "/api/jobs/" + ref, null);
    }

    private static void awaitRunning(String ref) throws Exception {
        CadreProcess.await(ref + " to run", RestSession.WAIT, () -> {
            try {
                return job(ref).path("state").asText().equals("RUNNING");
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** "JOBID:TASKS" of each record printed, in the order printed. */
    private static List<String> records(String shown) {
        List<String> records = new ArrayList<>();
        Matcher m = FIRST_FIELDS.matcher(shown);
        while (m.find()) {
            records.add(m.group(1) + ":" + m.group(3));
        }
        return records;
    }

    @Test
    void anArrayShowsEveryRecordItsOwnFirstThenTheNewest() throws Exception {
        long a = submit("sleep 300", "1-6%2", false);
        for (String t : List.of(a + "_1", a + "_2")) {
            awaitRunning(t);
        }
        assertEquals(0, scontrol("hold", a + "_[5-6]").get(0));
        long first = job(a + "_1").path("id").asLong();
        long second = job(a + "_2").path("id").asLong();
        long part = job(a + "_5").path("id").asLong();
        List<String> newestFirst = new ArrayList<>();
        List.of(first + ":1", second + ":2", part + ":5-6").stream()
                .sorted((x, y) -> Long.compare(Long.parseLong(y.split(":")[0]), Long.parseLong(x.split(":")[0])))
                .forEach(newestFirst::add);
        List<String> expected = new ArrayList<>(List.of(a + ":3-4"));
        expected.addAll(newestFirst);

        List<Object> shown = scontrol("show", "job", "" + a);
        assertEquals(0, shown.get(0), shown.toString());
        String text = (String) shown.get(1);
        assertEquals(expected, records(text), text);
        assertEquals(4, text.split("\n\n").length, "one record each: " + text);
        assertTrue(text.contains("JobId=" + part + " ArrayJobId=" + a + " ArrayTaskId=5-6 ArrayTaskThrottle=2 "),
                text);
        assertTrue(text.contains("JobState=PENDING Reason=JobHeldUser"), "the held part: " + text);
        assertEquals(2, text.split("JobState=RUNNING ").length - 1, text);
        assertEquals(4, text.split("\n   Command=").length - 1, "each record read whole: " + text);

        List<Object> oneLine = scontrol("-o", "show", "job", "JobId=" + a);
        String lines = (String) oneLine.get(1);
        assertEquals(expected, records(lines));
        assertEquals(4, lines.lines().count(), lines);
        assertTrue(lines.lines().allMatch(l -> l.startsWith("JobId=") && l.endsWith(" ")), lines);
    }

    @Test
    void aTaskIsShownAloneAPendingOneAsThatTask() throws Exception {
        long a = submit("sleep 300", "1-4%1", false);
        awaitRunning(a + "_1");
        long first = job(a + "_1").path("id").asLong();

        String pending = (String) scontrol("show", "job", a + "_3").get(1);
        assertEquals(List.of(a + ":3"), records(pending), pending);
        assertTrue(pending.contains("/slurm-" + a + "_3.out\n"), "%a is the task named: " + pending);
        String running = (String) scontrol("show", "job", a + "_1").get(1);
        assertEquals(List.of(first + ":1"), records(running), running);
        assertEquals(List.of(1, "Job " + a + "_9 not found\n", ""), scontrol("show", "job", a + "_9"));
        assertEquals(List.of(1, "Job " + a + "+0 not found\n", ""), scontrol("show", "job", a + "+0"));
    }

    @Test
    void badAndUnknownIdsAreRefusedInScontrolsWords() throws Exception {
        long single = submit("true", null, true);
        List<Object> plain = scontrol("show", "job", "" + single);
        assertEquals(0, plain.get(0));
        assertTrue(((String) plain.get(1)).startsWith("JobId=" + single + " JobName=t\n"), plain.toString());
        assertEquals(List.of(1, "Job " + single + "_1 not found\n", ""), scontrol("show", "job", single + "_1"));
        for (String unknown : List.of("987654321", "987654321_1", "1234567890123456789")) {
            assertEquals(List.of(1, "", "slurm_load_jobs error: Invalid job id specified\n"),
                    scontrol("show", "job", unknown), unknown);
        }
        for (String bad : List.of(single + "_x", single + "_[", single + "_[1-2]", "JobId=" + single + "x")) {
            assertEquals(List.of(1, "", "scontrol_print_job error: Invalid job id specified\n"),
                    scontrol("show", "job", bad), bad);
        }
    }

    @Test
    void everyJobIsShownWholeInTheOrderItsRecordWasMade() throws Exception {
        long mailed = submit(HEAD.job("true").hold(JobSpec.HOLD_USER).mailType(List.of("END"))
                .environment(Map.of(JobSpec.SCRIPT_PATH_VARIABLE, "/home/u/run.sh")));
        long array = submit(HEAD.job("sleep 300").array("1-2%1"));
        awaitRunning(array + "_1");
        long task = job(array + "_1").path("id").asLong();
        long last = submit(HEAD.job("true").hold(JobSpec.HOLD_USER));

        List<Object> shown = scontrol("show", "job");
        assertEquals(0, shown.get(0), shown.toString());
        String text = (String) shown.get(1);
        assertEquals(List.of(mailed, array, task, last), ScontrolOnHead.jobIds(text), text);
        String[] records = text.split("\n\n");
        assertEquals(4, records.length, text);
        for (String record : records) {
            assertTrue(record.contains("\n   StdIn=/dev/null\n"), "read whole, as show job ID reads it: " + record);
            assertTrue(record.contains("\n   ReqNodeList=(null) ExcNodeList=(null)\n"), record);
        }
        assertTrue(records[0].contains("\n   Command=/home/u/run.sh\n"), records[0]);
        assertTrue(records[0].endsWith("\n   MailUser=" + System.getProperty("user.name") + " MailType=END\n   "),
                records[0]);
        assertTrue(records[1].startsWith("JobId=" + array + " ArrayJobId=" + array + " ArrayTaskId=2 "), records[1]);
        assertTrue(records[2].startsWith("JobId=" + task + " ArrayJobId=" + array + " ArrayTaskId=1 "), records[2]);
        assertEquals(records[0] + "\n\n", scontrol("show", "job", "" + mailed).get(1));

        String lines = (String) scontrol("-o", "show", "job").get(1);
        assertEquals(List.of(mailed, array, task, last), ScontrolOnHead.jobIds(lines), lines);
        assertEquals(4, lines.lines().count(), lines);
        assertTrue(lines.lines().findFirst().orElseThrow().contains(" Command=/home/u/run.sh "), lines);
    }

    @Test
    void jobZeroIsEveryJobAndATaskWithoutAJobIsThatTaskOfEveryArray() throws Exception {
        long single = submit(HEAD.job("true").hold(JobSpec.HOLD_USER));
        long array = submit(HEAD.job("sleep 300").array("1-4%1"));
        awaitRunning(array + "_1");
        long first = job(array + "_1").path("id").asLong();
        long other = submit(HEAD.job("sleep 300").array("3-5").hold(JobSpec.HOLD_USER));

        List<Long> every = List.of(single, array, first, other);
        assertEquals(every, ScontrolOnHead.jobIds((String) scontrol("show", "job").get(1)));
        for (String zero : List.of("0", "JobId=000")) {
            List<Object> shown = scontrol("show", "job", zero);
            assertEquals(0, shown.get(0), shown.toString());
            assertEquals(every, ScontrolOnHead.jobIds((String) shown.get(1)), "0 is every job");
        }

        String third = (String) scontrol("show", "job", "_3").get(1);
        assertEquals(List.of(array + ":3", other + ":3"), records(third), "each array's pending tasks, as task 3");
        assertEquals(third, scontrol("show", "job", "0_3").get(1));
        assertEquals(List.of(first + ":1"), records((String) scontrol("show", "job", "_1").get(1)));
        assertEquals(List.of(1, "Job 0_9 not found\n", ""), scontrol("show", "job", "_9"));
        assertEquals(List.of(1, "Job 0+1 not found\n", ""), scontrol("show", "job", "+1"),
                "no heterogeneous jobs");
        assertEquals(List.of(1, "", "scontrol_print_job error: Invalid job id specified\n"),
                scontrol("show", "job", "_x"));
    }

    @Test
    void anEmptyQueueSaysSo() {
        assertEquals(List.of(0, "No jobs in the system\n", ""), scontrol("show", "job"));
        assertEquals(List.of(1, "Job 0 not found\n", ""), scontrol("show", "job", "0"),
                "an id was given: scontrol says it found none");
    }
}
