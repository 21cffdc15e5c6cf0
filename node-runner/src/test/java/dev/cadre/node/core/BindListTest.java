package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lists of map and mask bindings, read as Slurm reads them for both CPUs and GPUs. */
class BindListTest {
    private static List<BigInteger> values(long... v) {
        return Arrays.stream(v).mapToObj(BigInteger::valueOf).toList();
    }

    private static String refusal(BindList list, String items, boolean masks) {
        return assertThrows(IllegalArgumentException.class, () -> list.read(items, masks, "x:" + items)).getMessage();
    }

    @Test
    void mapsAreDecimalUnless0xAndMasksAlwaysHexadecimal() {
        assertEquals(values(10, 16, 3, 3), BindList.GPUS.read("10,0x10,3*2", false, "map_gpu:10,0x10,3*2"));
        assertEquals(values(0x10, 0x10, 0xf, 0xf, 0xf), BindList.GPUS.read("10,0X10,f*3", true, "mask_gpu:10,0X10,f*3"));
        assertEquals(values(0x10), BindList.CPUS.read("10", true, "mask_cpu:10"));
    }

    @Test
    void hostileItemsAreRefusedNamingThem() {
        assertEquals("'+1' in --gpu-bind=x:+1 is no GPU index (0-1023)", refusal(BindList.GPUS, "+1", false));
        assertEquals("'\u0661' in --cpu-bind=x:\u0661 is no CPU id (0-8191)", refusal(BindList.CPUS, "\u0661", false));
        assertEquals("'-1' in --cpu-bind=x:-1 is no CPU mask (hexadecimal, not 0, at most bit 8191)",
                refusal(BindList.CPUS, "-1", true));
        assertEquals("'0x' in --gpu-bind=x:0x is no GPU mask (hexadecimal, not 0, at most bit 1023)",
                refusal(BindList.GPUS, "0x", true));
        assertEquals("'1024' in --gpu-bind=x:1024 is no GPU index (0-1023)", refusal(BindList.GPUS, "1024", false));
        assertTrue(refusal(BindList.GPUS, "1" + "0".repeat(256), true).endsWith(" is no GPU mask (hexadecimal, not 0,"
                + " at most bit 1023)"), "a mask past the highest GPU");
        assertEquals("'' in --cpu-bind=x:1, is no CPU id (0-8191)", refusal(BindList.CPUS, "1,", false));
        assertEquals("'*' in --cpu-bind=x:1* is no repetition count (1-4096)", refusal(BindList.CPUS, "1*", false));
        assertEquals("'*99999999999' in --cpu-bind=x:1*99999999999 is no repetition count (1-4096)",
                refusal(BindList.CPUS, "1*99999999999", false));
        assertEquals("--gpu-bind=x:0*4096,1 lists more than 4096 values", refusal(BindList.GPUS, "0*4096,1", false));
        assertEquals(4096, BindList.GPUS.read("0*4095,1", false, "map_gpu").size());
    }
}
