package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** srun's --gpu-bind, and the GPUs it gives each task, as Slurm's gres plugin gives them. */
class GpuBindTest {
    private static final List<Integer> JOB = List.of(2, 3, 5, 6);

    private static List<List<Integer>> tasks(String bind, int tasks) {
        GpuBind b = GpuBind.parse(bind);
        List<List<Integer>> out = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            out.add(b.forTask(JOB, t));
        }
        return out;
    }

    @Test
    void perTaskGivesEachTaskItsOwnRunOfTheJobsGpus() {
        assertEquals(List.of(List.of(2), List.of(3), List.of(5), List.of(6)), tasks("per_task:1", 4));
        assertEquals(List.of(List.of(2, 3), List.of(5, 6)), tasks("per_task:2", 2));
        assertEquals(List.of(List.of(2, 3, 5), List.of(6), List.of(2)), tasks("per_task:3", 3),
                "what is left, then the first GPU when none is");
        assertEquals(List.of(List.of(2), List.of(3)), List.of(GpuBind.perTask(1).forTask(JOB, 0),
                GpuBind.perTask(1).forTask(JOB, 1)));
    }

    @Test
    void singleMapAndMaskAsSlurmChoosesThem() {
        assertEquals(List.of(List.of(2), List.of(2), List.of(3), List.of(3), List.of(5)), tasks("single:2", 5));
        assertEquals(List.of(List.of(6), List.of(3), List.of(3), List.of(6)), tasks("map_gpu:6,3*2", 4));
        assertEquals(List.of(List.of(2)), tasks("map_gpu:0", 1), "a GPU not the job's: its first");
        assertEquals(List.of(List.of(2, 3), List.of(5)), tasks("mask_gpu:0xc,0x20", 2));
        assertEquals(List.of(List.of(5), List.of(2, 3, 5, 6)), tasks("mask_gpu:20,ff", 2),
                "a mask without 0x is hexadecimal still, as srun(1) says");
        assertEquals(List.of(JOB, JOB), tasks("none", 2));
        assertEquals(List.of(JOB), tasks("closest", 1));
    }

    @Test
    void verboseSaysWhatTheTaskGot() {
        GpuBind b = GpuBind.parse("verbose,per_task:1");
        assertEquals("gpu-bind: usable_gres=0x8; bit_alloc=0x6c; local_inx=3; global_list=3; local_list=3",
                b.verboseLine(JOB, b.forTask(JOB, 1)));
        assertNull(GpuBind.parse("per_task:1").verboseLine(JOB, List.of(2)));
    }

    @Test
    void whatItCannotReadIsRefusedNamingIt() {
        assertEquals("--gpu-bind=sockets is none of none, closest, single:N, per_task:N, map_gpu:LIST and"
                + " mask_gpu:LIST (after an optional verbose,)",
                assertThrows(IllegalArgumentException.class, () -> GpuBind.parse("sockets")).getMessage());
        assertEquals("'x' in --gpu-bind=map_gpu:1,x is no GPU index (0-1023)",
                assertThrows(IllegalArgumentException.class, () -> GpuBind.parse("map_gpu:1,x")).getMessage());
        assertEquals("'0' in --gpu-bind=single:0 is no count (1-4096)",
                assertThrows(IllegalArgumentException.class, () -> GpuBind.parse("single:0")).getMessage());
    }
}
