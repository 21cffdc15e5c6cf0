package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SrunInput;
import dev.cadre.node.MpiInstallation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which MPI srun starts a program with, from what ldd says the program links. */
class SrunMpiLaunchTest {
    @Test
    void theMpiLibraryAProgramLinksChoosesTheLauncher() {
        assertEquals(MpiInstallation.OPEN_MPI, SrunMpiLaunch.linkedMpi("\tlinux-vdso.so.1 (0x00007ffd)\n"
                + "\tlibmpi.so.40 => /lib/x86_64-linux-gnu/libmpi.so.40 (0x00007f)\n"));
        assertEquals(MpiInstallation.MPICH, SrunMpiLaunch.linkedMpi(
                "\tlibmpich.so.12 => /lib/x86_64-linux-gnu/libmpich.so.12 (0x00007f)\n"));
        assertNull(SrunMpiLaunch.linkedMpi("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6\n"));
        assertNull(SrunMpiLaunch.linkedMpi(""));
    }

    @Test
    void anMpiLaunchTakesTheInputItsLauncherCanGiveAndRefusesTheRest() throws Exception {
        assertEquals(List.of(false, false, true), List.of(SrunMpiLaunch.inputOf(SrunInput.parse(null)),
                SrunMpiLaunch.inputOf(SrunInput.parse("0")), SrunMpiLaunch.inputOf(SrunInput.parse("none"))));
        for (String mode : List.of("all", "1", "in.txt")) {
            String refusal = assertThrows(SlurmUsageException.class, () -> SrunMpiLaunch.inputOf(
                    SrunInput.parse(mode))).getMessage();
            assertTrue(refusal.startsWith("srun: error: --input=" + mode + " is not supported for an MPI program"),
                    refusal);
        }
    }
}
