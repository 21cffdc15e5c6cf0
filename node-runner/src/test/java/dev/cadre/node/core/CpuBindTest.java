package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** srun's --cpu-bind, read as Slurm's slurm_verify_cpu_bind reads it. */
class CpuBindTest {
    private static List<BigInteger> values(long... v) {
        return java.util.Arrays.stream(v).mapToObj(BigInteger::valueOf).toList();
    }

    @Test
    void wordsAndListsAreReadAsSlurmReadsThem() {
        assertEquals(new CpuBind(false, CpuBind.Type.AUTO, CpuBind.Unit.CORES, List.of()), CpuBind.parse("cores"));
        assertEquals(new CpuBind(true, CpuBind.Type.NONE, CpuBind.Unit.DEFAULT, List.of()),
                CpuBind.parse("Verbose,NO"));
        assertEquals(new CpuBind(true, CpuBind.Type.MAP, CpuBind.Unit.DEFAULT, values(0, 1, 1, 16)),
                CpuBind.parse("v,map_cpu:0,1*2,0x10"));
        assertEquals(new CpuBind(false, CpuBind.Type.MASK, CpuBind.Unit.THREADS, values(3, 0xc)),
                CpuBind.parse("verbose,mask_cpu:0x3,c,threads,quiet"), "a list's hex value without 0x, then words");
        assertEquals(CpuBind.Type.MASK, CpuBind.parse("maskcpu=f").type());
    }

    @Test
    void whatSlurmWouldNotReadOrCadreCannotDoIsRefusedNamingIt() {
        assertEquals("unrecognized --cpu-bind argument \"numa\"",
                assertThrows(IllegalArgumentException.class, () -> CpuBind.parse("verbose,numa")).getMessage());
        assertEquals("missing list for \"--cpu-bind=map_cpu:<list>\"",
                assertThrows(IllegalArgumentException.class, () -> CpuBind.parse("map_cpu")).getMessage());
        assertEquals("'2x' in --cpu-bind=map_cpu:1,2x is no CPU id (0-8191)",
                assertThrows(IllegalArgumentException.class, () -> CpuBind.parse("map_cpu:1,2x")).getMessage());
        assertEquals("'0' in --cpu-bind=mask_cpu:0 is no CPU mask (hexadecimal, not 0, at most bit 8191)",
                assertThrows(IllegalArgumentException.class, () -> CpuBind.parse("mask_cpu:0")).getMessage());
        assertEquals("'*0' in --cpu-bind=map_cpu:1*0 is no repetition count (1-4096)",
                assertThrows(IllegalArgumentException.class, () -> CpuBind.parse("map_cpu:1*0")).getMessage());
        assertEquals("--cpu-bind=sockets is not supported by Cadre, whose nodes know no sockets or NUMA domains"
                + " (none, cores, threads, map_cpu and mask_cpu are)",
                assertThrows(IllegalArgumentException.class, () -> CpuBind.parse("sockets")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuBind.parse(""));
    }
}
