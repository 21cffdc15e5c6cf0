package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a node's cgroups go, and whether it tracks jobs by cgroup or by session. */
class ProcessTrackingTest {
    private static final String MIXED = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void theHierarchyIsFoundWhereverItIsMounted() {
        assertEquals(Optional.of(new ProcessTracking.Mount(Path.of("/sys/fs/cgroup/unified"), "/")),
                ProcessTracking.cgroup2Mount(MIXED));
        assertEquals(Optional.of(new ProcessTracking.Mount(Path.of("/sys/fs/cgroup"), "/")), ProcessTracking
                .cgroup2Mount("30 1 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"));
        assertEquals(Optional.of(new ProcessTracking.Mount(Path.of("/mnt/c g"), "/kube")), ProcessTracking
                .cgroup2Mount("30 1 0:26 /kube /mnt/c\\040g rw - cgroup2 none rw\n"));
        assertEquals(Optional.empty(), ProcessTracking.cgroup2Mount(MIXED.replace("cgroup2 cgroup2", "tmpfs x")));
    }

    @Test
    void theNodesCgroupsGoUnderItsOwnCgroupUnlessThatIsTheRoot() {
        ProcessTracking.Mount mount = new ProcessTracking.Mount(Path.of("/sys/fs/cgroup"), "/");
        assertEquals(Optional.of("/system.slice/cadre.service"),
                ProcessTracking.ownCgroup("1:cpu:/\n0::/system.slice/cadre.service\n"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/system.slice/cadre.service/node-1"),
                Path.of("/sys/fs/cgroup/cadre/node-1")),
                ProcessTracking.candidates(mount, Optional.of("/system.slice/cadre.service"), "node-1"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/cadre/node-1")),
                ProcessTracking.candidates(mount, ProcessTracking.ownCgroup("0::/\n"), "node-1"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/cadre/node-1")),
                ProcessTracking.candidates(mount, Optional.empty(), "node-1"));
        // A container that sees part of the hierarchy: its cgroup is named from the hierarchy's root.
        ProcessTracking.Mount part = new ProcessTracking.Mount(Path.of("/sys/fs/cgroup"), "/kube/pod1");
        assertEquals(List.of(Path.of("/sys/fs/cgroup/app/node-1"), Path.of("/sys/fs/cgroup/cadre/node-1")),
                ProcessTracking.candidates(part, Optional.of("/kube/pod1/app"), "node-1"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/cadre/node-1")),
                ProcessTracking.candidates(part, Optional.of("/other"), "node-1"));
    }

    @Test
    void cgroupsAreUsedWhereTheyCanBeAndAskedForThatAreRequired() {
        Optional<Path> made = Optional.of(Path.of("/sys/fs/cgroup/cadre/node-1"));
        assertEquals(new ProcessTracking.ByCgroup(made.get()),
                ProcessTracking.decide(ProcessTracking.Mode.AUTO, made, ""));
        assertEquals(new ProcessTracking.ByCgroup(made.get()),
                ProcessTracking.decide(ProcessTracking.Mode.CGROUP, made, ""));
        assertEquals(new ProcessTracking.BySession("no cgroup2 hierarchy is mounted"), ProcessTracking.decide(
                ProcessTracking.Mode.AUTO, Optional.empty(), "no cgroup2 hierarchy is mounted"));
        assertTrue(ProcessTracking.decide(ProcessTracking.Mode.SESSION, made, "")
                instanceof ProcessTracking.BySession);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessTracking.decide(
                ProcessTracking.Mode.CGROUP, Optional.empty(), "cannot create /sys/fs/cgroup/cadre: Permission denied"));
        assertEquals("--process-tracking cgroup: no cgroup can be used: cannot create /sys/fs/cgroup/cadre:"
                + " Permission denied", e.getMessage());
        assertEquals(ProcessTracking.Mode.SESSION, ProcessTracking.Mode.byName("session"));
        assertThrows(IllegalArgumentException.class, () -> ProcessTracking.Mode.byName("Cgroup"));
    }

    @Test
    void cgroupNamesSayWhoseTheyAre() {
        ProcessTracking.GroupName attempt = new ProcessTracking.GroupName(17, 2, ProcessTracking.GroupName.NONE);
        ProcessTracking.GroupName exec = new ProcessTracking.GroupName(17, 2, 5);
        assertEquals("17-2", attempt.text());
        assertEquals("17-2-exec-5", exec.text());
        assertEquals(Optional.of(attempt), ProcessTracking.GroupName.parse("17-2"));
        assertEquals(Optional.of(exec), ProcessTracking.GroupName.parse("17-2-exec-5"));
        for (String foreign : List.of("cgroup.procs", "17", "17-x", "17-2-exec", "17-2-run-5", "17-2-exec--1", "")) {
            assertEquals(Optional.empty(), ProcessTracking.GroupName.parse(foreign), foreign);
        }
    }
}
