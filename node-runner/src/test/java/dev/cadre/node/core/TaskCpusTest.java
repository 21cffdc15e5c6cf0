package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.ExecMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How the tasks of a step share their job's CPUs on a node, as Slurm's task/affinity shares them. */
class TaskCpusTest {
    private static final SortedSet<Integer> FOUR = new TreeSet<>(List.of(4, 5, 6, 7));
    private static final Map<Integer, Integer> ONE_SOCKET = Map.of();

    private static ExecMessage.StepTask task(int local, int tasks, Integer cpusPerTask, String distribution) {
        return new ExecMessage.StepTask(local, tasks, 10 + local, cpusPerTask, distribution, null, null);
    }

    private static TaskCpus share(SortedSet<Integer> cpus, Map<Integer, Integer> sockets, ExecMessage.StepTask task,
            String bind) {
        return TaskCpus.of(cpus, sockets, 8, task, bind == null ? CpuBind.DEFAULT : CpuBind.parse(bind), "n1");
    }

    /** Every task's CPUs, in order. */
    private static List<SortedSet<Integer>> all(SortedSet<Integer> cpus, Map<Integer, Integer> sockets, int tasks,
            Integer cpusPerTask, String distribution, String bind) {
        List<SortedSet<Integer>> out = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            out.add(share(cpus, sockets, task(t, tasks, cpusPerTask, distribution), bind).cpus());
        }
        return out;
    }

    private static List<SortedSet<Integer>> sets(List<List<Integer>> lists) {
        return lists.stream().map(l -> (SortedSet<Integer>) new TreeSet<>(l)).toList();
    }

    @Test
    void tasksThatFillTheJobsCpusGetOneEachAndAreToldEveryTasksMask() {
        assertEquals(sets(List.of(List.of(4), List.of(5), List.of(6), List.of(7))),
                all(FOUR, ONE_SOCKET, 4, null, null, null));
        TaskCpus second = share(FOUR, ONE_SOCKET, task(1, 4, null, null), null);
        assertEquals(Map.of("SLURM_CPU_BIND_VERBOSE", "quiet", "SLURM_CPU_BIND_TYPE", "mask_cpu:",
                "SLURM_CPU_BIND_LIST", "0x10,0x20,0x40,0x80", "SLURM_CPU_BIND", "quiet,mask_cpu:0x10,0x20,0x40,0x80"),
                second.environment());
        assertNull(second.verbose());
        assertEquals(sets(List.of(List.of(4, 5), List.of(6, 7))), all(FOUR, ONE_SOCKET, 2, 2, null, null));
    }

    @Test
    void aStepThatDoesNotFillTheJobsCpusKeepsThemAllUnlessCoresAreAskedFor() {
        assertEquals(sets(List.of(List.of(4, 5, 6, 7), List.of(4, 5, 6, 7))),
                all(FOUR, ONE_SOCKET, 2, null, null, null));
        assertEquals("quiet,mask_cpu:0xf0", share(FOUR, ONE_SOCKET, task(0, 2, null, null), null).environment()
                .get("SLURM_CPU_BIND"));
        assertEquals(sets(List.of(List.of(4), List.of(5))), all(FOUR, ONE_SOCKET, 2, null, null, "cores"));
        assertEquals(sets(List.of(List.of(4), List.of(5))), all(FOUR, ONE_SOCKET, 2, null, null, "threads"));
        // More tasks than CPUs: each task all of them; more CPUs per task than there are: the CPUs divided.
        assertEquals(new TreeSet<>(FOUR), share(FOUR, ONE_SOCKET, task(4, 5, null, null), "cores").cpus());
        assertEquals(sets(List.of(List.of(4, 5), List.of(6, 7))), all(FOUR, ONE_SOCKET, 2, 3, null, "cores"));
    }

    @Test
    void cyclicDealsTasksToSocketsInTurnBlockFillsEachSocketFirst() {
        // CPUs 0 and 2 on socket 0, 1 and 3 on socket 1, as many two-socket machines number them.
        SortedSet<Integer> cpus = new TreeSet<>(List.of(0, 1, 2, 3));
        Map<Integer, Integer> sockets = Map.of(0, 0, 2, 0, 1, 1, 3, 1);
        assertEquals(sets(List.of(List.of(0), List.of(2), List.of(1), List.of(3))),
                all(cpus, sockets, 4, null, "block", null));
        assertEquals(sets(List.of(List.of(0), List.of(1), List.of(2), List.of(3))),
                all(cpus, sockets, 4, null, null, null), "Slurm's default, cyclic");
        assertEquals(sets(List.of(List.of(0, 2), List.of(1, 3))), all(cpus, sockets, 2, 2, "cyclic", null));
        assertEquals(sets(List.of(List.of(0, 1), List.of(2, 3))), all(cpus, sockets, 2, 2, "fcyclic", null));
        assertEquals(sets(List.of(List.of(0, 2), List.of(1, 3))), all(cpus, sockets, 2, 2, "block", null));
    }

    @Test
    void noneLeavesEveryTaskOnTheJobsCpus() {
        TaskCpus none = share(FOUR, ONE_SOCKET, task(2, 4, null, null), "none");
        assertEquals(new TreeSet<>(FOUR), none.cpus());
        assertEquals("quiet,none", none.environment().get("SLURM_CPU_BIND"));
        assertEquals("", none.environment().get("SLURM_CPU_BIND_LIST"));
        assertEquals("cpu-bind=NONE - n1, task 12  2 [{pid}]: mask 0xf0",
                share(FOUR, ONE_SOCKET, task(2, 4, null, null), "verbose,none").verbose());
    }

    @Test
    void mapAndMaskGiveTaskNTheListsEntryNWrapping() {
        TaskCpus map = share(FOUR, ONE_SOCKET, task(2, 4, null, null), "v,map_cpu:7,6");
        assertEquals(new TreeSet<>(List.of(7)), map.cpus());
        assertEquals("verbose,map_cpu:7,6", map.environment().get("SLURM_CPU_BIND"));
        assertEquals("cpu-bind=MAP  - n1, task 12  2 [{pid}]: mask 0x80 set", map.verbose());
        TaskCpus mask = share(FOUR, ONE_SOCKET, task(1, 4, null, null), "mask_cpu:0x30,0xc0");
        assertEquals(new TreeSet<>(List.of(6, 7)), mask.cpus());
        assertEquals("mask_cpu:", mask.environment().get("SLURM_CPU_BIND_TYPE"));
        assertEquals("0x30,0xc0", mask.environment().get("SLURM_CPU_BIND_LIST"));
        assertNull(mask.warning());
    }

    @Test
    void aBindingOutsideTheJobsCpusSaysSoAndKeepsToThem() {
        String outside = "cpu-bind: CPU binding outside of job step allocation, allocated CPUs are: 0xf0.";
        TaskCpus map = share(FOUR, ONE_SOCKET, task(0, 4, null, null), "map_cpu:4,0");
        assertEquals(new TreeSet<>(FOUR), map.cpus(), "a map naming another CPU gives every task all of them");
        assertEquals(outside, map.warning());
        TaskCpus mask = share(FOUR, ONE_SOCKET, task(0, 4, null, null), "mask_cpu:0x11");
        assertEquals(new TreeSet<>(List.of(4)), mask.cpus(), "what is outside is left out");
        assertEquals(outside, mask.warning());
        assertEquals(new TreeSet<>(FOUR), share(FOUR, ONE_SOCKET, task(0, 4, null, null), "mask_cpu:0x3").cpus());
    }

    @Test
    void masksAreAsWideAsTheNodesCpusInTheListAndTrimmedInTheVerboseLine() {
        SortedSet<Integer> two = new TreeSet<>(List.of(0, 1));
        TaskCpus first = TaskCpus.of(two, ONE_SOCKET, 64, task(0, 2, null, null), CpuBind.parse("verbose"), "n1");
        assertEquals("0x0000000000000001,0x0000000000000002", first.environment().get("SLURM_CPU_BIND_LIST"));
        assertEquals("cpu-bind=MASK - n1, task 10  0 [{pid}]: mask 0x1 set", first.verbose());
    }
}
