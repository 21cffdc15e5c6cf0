package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol update's MailType= and MailUser=, read as scontrol's update_job.c reads them: the keys matched from five
 * letters on, the types by parse_mail_type as sbatch --mail-type's, "Invalid MailType: VALUE" when none is known.
 */
class ScontrolUpdateMailTest {
    private static ScontrolUpdate parse(String... words) throws SlurmUsageException {
        return ScontrolUpdate.parse(List.of(words));
    }

    private static String error(String... words) {
        return assertThrows(SlurmUsageException.class, () -> parse(words)).getMessage();
    }

    @Test
    void mailTypeTakesWhatSbatchMailTypeTakes() throws Exception {
        assertEquals(List.of("BEGIN", "END", "FAIL", "REQUEUE"), parse("JobId=12", "MailType=BEGIN,END,FAIL,REQUEUE")
                .mailType());
        assertEquals(List.of("INVALID_DEPEND", "BEGIN", "END", "FAIL", "REQUEUE", "STAGE_OUT"),
                parse("JobId=12", "MailType=ALL").mailType(), "ALL spelled out");
        assertEquals(List.of("ARRAY_TASKS", "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90", "TIME_LIMIT"),
                parse("JobId=12", "mailtype=time_limit,time_limit_50,TIME_LIMIT_80,TIME_LIMIT_90,array_tasks")
                        .mailType());
        assertEquals(List.of("NONE"), parse("JobId=12", "MailT=NONE").mailType(), "abbreviated to five letters");
        assertNull(parse("JobId=12", "MailUser=bob").mailType());
    }

    @Test
    void mailUserIsPassedAsGivenAndEmptyGivesTheMailBackToTheUser() throws Exception {
        ScontrolUpdate u = parse("JobId=12", "MailUser=bob@example.org", "MailType=END");
        assertEquals("bob@example.org", u.mailUser());
        assertEquals(List.of("END"), u.mailType());
        assertEquals("", parse("JobId=12", "MailU=").mailUser());
        assertEquals("carol", parse("JobId=12", "MailUser", "carol").mailUser(), "the value as the next word");
    }

    @Test
    void wrongOnesFailAsScontrolFails() {
        assertEquals("Invalid MailType: NOON", error("JobId=12", "MailType=NOON"));
        assertEquals("Invalid MailType: ", error("JobId=12", "MailType="));
        assertEquals("scontrol: error: Option MailType does not accept [+|-]= syntax",
                error("JobId=12", "MailType+=END"));
        assertEquals("Update of this parameter is not supported: Mail=END\nRequest aborted",
                error("JobId=12", "Mail=END"));
        assertEquals("No changes specified", error("JobId=12"));
    }
}
