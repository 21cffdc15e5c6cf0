package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.node.MpiInstallation;
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
    void describesEndingsAsSrunDoes() {
        assertEquals("Exited with exit code 3", SrunCommand.describe(3));
        assertEquals("Killed", SrunCommand.describe(137));
        assertEquals("Terminated", SrunCommand.describe(143));
    }
}
