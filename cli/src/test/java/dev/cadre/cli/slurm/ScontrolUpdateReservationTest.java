package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol update's ReservationName=, read as scontrol's update_job.c reads it: the key matched from three letters on
 * ("Res="), the value passed as given for the head to judge, an empty one taking the job out of its reservation.
 */
class ScontrolUpdateReservationTest {
    private static ScontrolUpdate parse(String... words) throws SlurmUsageException {
        return ScontrolUpdate.parse(List.of(words));
    }

    @Test
    void theKeyMatchesFromThreeLettersAndAnEmptyValueTakesTheJobOut() throws Exception {
        assertEquals("maint", parse("JobId=12", "ReservationName=maint").reservation());
        assertEquals("maint", parse("JobId=12", "Res=maint").reservation(), "abbreviated to three letters");
        assertEquals("maint", parse("JobId=12", "reservation=maint").reservation());
        assertEquals("maint", parse("JobId=12", "ReservationName", "maint").reservation(), "the next word");
        assertEquals("", parse("JobId=12", "Res=").reservation());
        assertNull(parse("JobId=12", "Nice=5").reservation());
        assertEquals(List.of(new SlurmJobId(12, null)), parse("Res=maint", "JobId=12").jobs());
    }

    @Test
    void wrongOnesFailAsScontrolFails() {
        assertEquals("Update of this parameter is not supported: Re=maint\nRequest aborted",
                assertThrows(SlurmUsageException.class, () -> parse("JobId=12", "Re=maint")).getMessage(),
                "two letters are not enough");
        assertEquals("scontrol: error: Option Res does not accept [+|-]= syntax",
                assertThrows(SlurmUsageException.class, () -> parse("JobId=12", "Res+=maint")).getMessage());
    }
}
