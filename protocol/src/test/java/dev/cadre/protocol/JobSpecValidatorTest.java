package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSpecValidatorTest {
    private static List<String> fields(JobSpec spec) {
        return JobSpecValidator.validate(spec).stream().map(JobSpecValidator.Problem::field).toList();
    }

    @Test
    void aPlainSpecPasses() {
        assertTrue(JobSpecValidator.validate(MessageCodecTest.spec()).isEmpty());
    }

    @Test
    void eachProblemNamesItsField() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of("spec.script"), fields(ok.toBuilder().script("echo no shebang").build()));
        assertEquals(List.of("spec.workDir"), fields(ok.toBuilder().workDir("relative/dir").build()));
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().tasks(-3).build()));
        assertEquals(List.of("spec.nodes"), fields(ok.toBuilder().nodes(1_000_000).build()));
        assertEquals(List.of("spec.timeLimitSeconds"), fields(ok.toBuilder().timeLimitSeconds(0L).build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("out\u0000.txt").build()));
        assertEquals(List.of("spec.user"), fields(ok.toBuilder().user("../../root").build()));
        assertEquals(List.of("spec.environment"), fields(ok.toBuilder().environment(Map.of("A=B", "x")).build()));
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().nodes(3).tasks(2).build()));
        assertEquals(List.of("spec"), fields(null));
        assertEquals(List.of("spec.memoryPerCpuMb"), fields(ok.toBuilder().memoryMb(4L).memoryPerCpuMb(0L).build()));
        assertEquals(List.of("spec.memoryPerCpuMb"), fields(ok.toBuilder().memoryMb(null).memoryPerCpuMb(1L).build()),
                "a per-CPU figure alone: the memory per node it comes to is what placement goes by");
        assertEquals(List.of(), fields(ok.toBuilder().memoryMb(2L).memoryPerCpuMb(1L).build()), "two tasks, one node");
    }

    @Test
    void aDeadlineMayNotComeBeforeTheBeginTime() {
        JobSpec ok = MessageCodecTest.spec();
        java.time.Instant t = java.time.Instant.parse("2026-11-21T12:00:00Z");
        assertEquals(List.of("spec.deadline"), fields(ok.toBuilder().beginTime(t).deadline(t.minusSeconds(1)).build()));
        assertEquals(List.of(), fields(ok.toBuilder().beginTime(t).deadline(t).build()));
        assertEquals(List.of(), fields(ok.toBuilder().deadline(t).build()), "the head judges it against its clock");
    }

    @Test
    void memoryPerNodeMustBeWhatThePerCpuFigureComesToOnTheBusiestNode() {
        JobSpec base = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();
        // -n 4 -c 2: all four tasks may share a node, 8 CPUs.
        JobSpec shared = base.toBuilder().tasks(4).cpusPerTask(2).memoryPerCpuMb(256L).memoryMb(2048L).build();
        assertEquals(List.of(), fields(shared));
        assertEquals("spec.memoryPerCpuMb: 256 MiB per CPU, for the 8 CPU(s) of the busiest node (4 task(s) x 2"
                + " CPU(s)), comes to 2048 MiB, but memoryMb is 1; give memoryMb 2048",
                JobSpecValidator.validate(shared.toBuilder().memoryMb(1L).build()).get(0).toString());
        assertEquals(List.of("spec.memoryPerCpuMb"), fields(shared.toBuilder().memoryMb(2049L).build()));
        // -N 3 -n 7: three tasks on the busiest node; --ntasks-per-node is the most on any node when given.
        assertEquals(List.of(), fields(base.toBuilder().nodes(3).tasks(7).memoryPerCpuMb(10L).memoryMb(30L).build()));
        assertEquals(List.of(), fields(base.toBuilder().nodes(3).tasks(7).tasksPerNode(4).memoryPerCpuMb(10L)
                .memoryMb(40L).build()));
        assertEquals(List.of(), fields(base.toBuilder().nodelist(List.of("n[1-2]")).tasks(4).memoryPerCpuMb(10L)
                .memoryMb(20L).build()), "without -N, the -w hosts are the nodes");
        // Exclusive: placement still goes by the CPUs asked for, so the same figure holds (review 133 L2).
        JobSpec exclusive = base.toBuilder().exclusive(true).memoryMb(1L).memoryPerCpuMb(1L << 40).build();
        assertEquals("spec.memoryPerCpuMb: 1099511627776 MiB per CPU, for the 1 CPU(s) of the busiest node (1 task(s)"
                + " x 1 CPU(s)), comes to 1099511627776 MiB, but memoryMb is 1; give memoryMb 1099511627776",
                JobSpecValidator.validate(exclusive).get(0).toString());
        assertEquals(List.of("spec.memoryPerCpuMb"), fields(exclusive.toBuilder().memoryMb(100_000L)
                .memoryPerCpuMb(1L).build()));
        // A product past a long: 2^40 MiB x 4096 CPUs x a million tasks.
        assertEquals("spec.memoryPerCpuMb: 1099511627776 MiB per CPU, for the 4096000000 CPU(s) of the busiest"
                + " node (1000000 task(s) x 4096 CPU(s)), comes to more than the 1099511627776 MiB a node may be"
                + " asked for", JobSpecValidator.validate(base.toBuilder().tasks(1_000_000).cpusPerTask(4096)
                        .memoryMb(1L << 40).memoryPerCpuMb(1L << 40).build()).get(0).toString());
    }

    @Test
    void environmentNamesAreWhatAProcessEnvironmentCarries() {
        JobSpec ok = MessageCodecTest.spec();
        // As a submitter's environment holds them: bash's exported functions, and names no shell could set.
        Map<String, String> exported = Map.of("BASH_FUNC_module%%", "() {  eval $(modulecmd bash \"$@\")\n}",
                "A-B", "1", "1ST", "x", "caf\u00e9.name", "y");
        assertEquals(List.of(), fields(ok.toBuilder().environment(exported).build()));
        assertEquals(List.of(), fields(ok.toBuilder().environment(Map.of("N".repeat(JobSpecValidator.MAX_ENV_NAME),
                "x")).build()));
        assertEquals("spec.environment: 'A=B' is not a variable name: a name must be 1 to 4096 characters without"
                + " '=' or NUL", JobSpecValidator.validate(ok.toBuilder().environment(Map.of("A=B", "x")).build())
                .get(0).toString());
        for (String bad : List.of("", "=", "A\u0000B", "N".repeat(JobSpecValidator.MAX_ENV_NAME + 1))) {
            assertEquals(List.of("spec.environment"), fields(ok.toBuilder().environment(Map.of(bad, "x")).build()),
                    bad);
        }
    }

    @Test
    void hostilePathsAreRefused() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("../../etc/cron.d/x").build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("/etc/passwd").build()));
        assertEquals(List.of("spec.stderr"), fields(ok.toBuilder().stderr("//usr//bin/ls").build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("/proc/self/mem").build()));
        assertEquals(List.of("spec.stdin"), fields(ok.toBuilder().stdin("/dev/sda").build()));
        assertEquals(List.of("spec.workDir"), fields(ok.toBuilder().workDir("/tmp/../etc").build()));
        assertEquals(List.of(), fields(ok.toBuilder().stdout("/dev/null").stderr("/tmp/out-%j.txt")
                .stdin("/etc/hosts").build()));
        assertEquals(List.of(), fields(ok.toBuilder().stdout("results/..data/%x.out").build()));
    }

    @Test
    void rootsHiddenFilesAndCronsSpoolAreNoOutput() {
        JobSpec ok = MessageCodecTest.spec();
        List<JobSpecValidator.Problem> p = JobSpecValidator.validate(ok.toBuilder().stdout("/root/.bashrc").build());
        assertEquals("spec.stdout: must not be under /root/.bashrc (system files are never job output)",
                p.get(0).toString());
        assertEquals(List.of("spec.stderr"), fields(ok.toBuilder().stderr("/root//./.config/autostart/x").build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().workDir("/root").stdout(".profile").build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("/var/spool/cron/crontabs/root").build()));
        assertEquals(Optional.of("/root/.ssh"), JobSpecValidator.systemTree("/root/.ssh/authorized_keys", true));
        assertEquals(List.of(), fields(ok.toBuilder().workDir("/root").stdout("out-%j.txt").build()),
                "root's own files are fine");
        assertEquals(List.of(), fields(ok.toBuilder().workDir("/root/.cache").stdout("/tmp/x").build()),
                "and so is entering a hidden directory");
        assertEquals(Optional.empty(), JobSpecValidator.systemTree("/root/.bashrc", false));
        assertEquals(Optional.empty(), JobSpecValidator.systemTree("/dev/null", true));
    }

    @Test
    void dotComponentsAndRepeatedSlashesDoNotHideASystemTree() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("/./etc/cron.d/x").build()));
        assertEquals(List.of("spec.stderr"), fields(ok.toBuilder().stderr("/.//./etc//cron.d/./x").build()));
        assertEquals(List.of("spec.stdin"), fields(ok.toBuilder().stdin("/./proc/self/mem").build()));
        assertEquals(List.of("spec.workDir"), fields(ok.toBuilder().workDir("/./proc").build()));
        List<JobSpecValidator.Problem> p = JobSpecValidator.validate(ok.toBuilder().workDir("/.")
                .stdout("etc/cron.d/x").build());
        assertEquals(List.of("spec.stdout"), p.stream().map(JobSpecValidator.Problem::field).toList());
        assertTrue(p.get(0).message().contains("must not be under /etc"), p.toString());
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().workDir("/etc/.").stdout("./x").build()));
        assertEquals(List.of(), fields(ok.toBuilder().workDir("/.").stdout("tmp/./out-%j").stdin("/dev/./null")
                .build()));
    }

    @Test
    void withoutStdoutTheDefaultFileInTheWorkingDirectoryObeysTheRulesToo() {
        JobSpec noStdout = MessageCodecTest.spec().toBuilder().workDir("/etc/cron.d").build();
        List<JobSpecValidator.Problem> p = JobSpecValidator.validate(noStdout);
        assertEquals(List.of("spec.workDir"), p.stream().map(JobSpecValidator.Problem::field).toList());
        assertEquals("gives no stdout, so the default slurm-%j.out is opened as '/etc/cron.d/slurm-1.out', which"
                + " must not be under /etc (system files are never job output)", p.get(0).message());
        assertEquals(List.of(), fields(noStdout.toBuilder().stdout("/tmp/out-%j").build()), "-o elsewhere is fine");
        assertEquals(List.of(), fields(noStdout.toBuilder().workDir("/home/alice").build()));
    }

    @Test
    void thePathAsTheNodeOpensItObeysThePatternsRules() {
        JobSpec ok = MessageCodecTest.spec().toBuilder().name("../../../../etc/cron.d/evil").build();
        List<JobSpecValidator.Problem> p = JobSpecValidator.validate(ok.toBuilder().stdout("%x.out").build());
        assertEquals(List.of("spec.stdout"), p.stream().map(JobSpecValidator.Problem::field).toList());
        assertTrue(p.get(0).message().contains("is opened as '") && p.get(0).message().contains("'..'"),
                p.toString());
        assertEquals(List.of("spec.stderr"), fields(ok.toBuilder().name("/etc/cron.d/evil").stderr("%5x").build()));
        assertEquals(List.of("spec.stdin"), fields(ok.toBuilder().name("/dev/sda").stdin("%x").build()));
        assertEquals(List.of(), fields(ok.toBuilder().stdout("%%x-%j.out").build()), "%%x is a literal %x");
        assertEquals(List.of(), fields(ok.toBuilder().stdout("slurm-%j.out").build()), "the name unused");
        assertEquals(List.of(), fields(ok.toBuilder().name("run/one").stdout("logs/%x.out").build()),
                "a name may make a subdirectory");
        JobSpec inEtc = MessageCodecTest.spec().toBuilder().workDir("/etc").build();
        List<JobSpecValidator.Problem> q = JobSpecValidator.validate(inEtc.toBuilder().stdout("passwd").build());
        assertEquals(List.of("spec.stdout"), q.stream().map(JobSpecValidator.Problem::field).toList(),
                "a relative output path lands in the working directory");
        assertTrue(q.get(0).message().contains("'/etc/passwd'") && q.get(0).message().contains("/etc"), q.toString());
        assertEquals(List.of(), fields(inEtc.toBuilder().stdout("/tmp/out-%j").stdin("hosts").build()),
                "reading from /etc and writing elsewhere are fine");
    }

    @Test
    void submissionIdsAreBoundedAndPrintable() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of(), JobSpecValidator.validate(new ClientRequest.SubmitJob("run-1", ok)));
        assertEquals(List.of("submissionId"), JobSpecValidator.validate(new ClientRequest.SubmitJob("x".repeat(257), ok))
                .stream().map(JobSpecValidator.Problem::field).toList());
        assertEquals(List.of("submissionId"), JobSpecValidator.validate(new ClientRequest.SubmitJob("a\nb", ok))
                .stream().map(JobSpecValidator.Problem::field).toList());
    }

    @Test
    void nodeRequestsThatSlurmRefusesNameTheOptionAtFault() {
        JobSpec ok = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().tasks(2).nodes(4).build()));
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().tasks(7).nodes(3).tasksPerNode(2).build()));
        assertEquals(List.of(), fields(ok.toBuilder().tasks(5).nodes(3).tasksPerNode(2).build()));
        assertEquals(List.of(), fields(ok.toBuilder().tasks(7).tasksPerNode(2).build()));
        assertEquals(List.of("spec.nodelist"), fields(ok.toBuilder().nodes(2).nodelist(List.of("h[1-3]")).build()));
        assertEquals(List.of(), fields(ok.toBuilder().nodes(3).nodelist(List.of("h[1-2]")).build()));
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().tasks(2).nodelist(List.of("h1,h2,h3")).build()));
        assertEquals(List.of("spec.exclude"), fields(ok.toBuilder().nodelist(List.of("h[1-3],h5"))
                .exclude(List.of("h2")).build()));
        assertEquals(List.of(), fields(ok.toBuilder().nodelist(List.of("h[1-3]")).exclude(List.of("h4"))
                .exclusive(true).build()));
    }

    @Test
    void repeatedHostListEntriesCountAgainstTheLimits() {
        JobSpec ok = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();
        // Each entry is expanded on every scheduling pass, repeats or not: they count before repeats are dropped.
        List<JobSpecValidator.Problem> p = JobSpecValidator.validate(ok.toBuilder()
                .nodelist(List.of("a[0-9999]", "a[0-9999]", "a[0-9999]")).build());
        assertEquals(List.of("spec.nodelist"), p.stream().map(JobSpecValidator.Problem::field).toList());
        assertTrue(p.get(0).message().contains("10000 hosts"), p.toString());
        assertEquals(List.of("spec.exclude"), fields(ok.toBuilder().exclude(List.of("a[1-6000]", "a[1-6000]"))
                .build()));
        p = JobSpecValidator.validate(ok.toBuilder().exclude(Collections.nCopies(10_001, "a")).build());
        assertEquals(List.of("spec.exclude"), p.stream().map(JobSpecValidator.Problem::field).toList());
        assertTrue(p.get(0).message().contains("10001 entries") && p.get(0).message().contains("10000"),
                p.toString());
        assertEquals(List.of(), fields(ok.toBuilder().nodelist(List.of("a[1-5000]", "a[1-5000]")).build()));
        assertEquals(List.of(), fields(ok.toBuilder().exclude(Collections.nCopies(10_000, "a")).build()));
    }

    @Test
    void theDefaultTaskCountMustStayWithinTheLimit() {
        JobSpec ok = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();
        List<JobSpecValidator.Problem> p = JobSpecValidator.validate(ok.toBuilder().nodes(2_148)
                .tasksPerNode(1_000_000).build());
        assertEquals(List.of("spec.tasksPerNode"), p.stream().map(JobSpecValidator.Problem::field).toList());
        assertTrue(p.get(0).message().contains("spec.nodes") && p.get(0).message().contains("2148000000")
                && p.get(0).message().contains("1000000"), p.toString());
        assertEquals(List.of("spec.tasksPerNode"), fields(ok.toBuilder().nodelist(List.of("h[1-3000]"))
                .tasksPerNode(1_000).build()));
        assertEquals(List.of(), fields(ok.toBuilder().nodes(1_000).tasksPerNode(1_000).build()));
        assertEquals(List.of(), fields(ok.toBuilder().nodes(2_148).tasksPerNode(1_000_000).tasks(1_000_000)
                .build()), "with tasks given, tasksPerNode is only a ceiling");
    }

    @Test
    void hostListsMustParseAndStaySmall() {
        JobSpec ok = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();
        assertEquals(List.of("spec.nodelist[1]"), fields(ok.toBuilder().nodelist(List.of("a", "h[1-")).build()));
        assertEquals(List.of("spec.exclude[0]"), fields(ok.toBuilder().exclude(List.of("h[1-999999999]")).build()));
        assertEquals(List.of("spec.exclude[0]"), fields(ok.toBuilder().exclude(List.of("")).build()));
        assertEquals(List.of("spec.exclude"), fields(ok.toBuilder().exclude(List.of("a[1-9000]", "b[1-9000]"))
                .build()));
        assertEquals(List.of("spec.nodelist[0]"), fields(ok.toBuilder().nodelist(List.of("a b;c")).build()));
        var problems = JobSpecValidator.validate(ok.toBuilder().nodelist(List.of("h[9-1]")).build());
        assertTrue(problems.get(0).message().contains("backwards"), problems.toString());
    }

    @Test
    void theNodeCountFollowsTheRequest() {
        JobSpec ok = MessageCodecTest.spec().toBuilder().nodes(null).tasks(null).build();
        assertEquals(1, ok.nodeCount());
        assertEquals(3, ok.toBuilder().nodelist(List.of("h[1-3]", "h2")).build().nodeCount());
        assertEquals(4, ok.toBuilder().tasks(7).tasksPerNode(2).build().nodeCount());
        assertEquals(6, ok.toBuilder().tasksPerNode(2).nodelist(List.of("h[1-3]")).build().taskCount());
        assertEquals(List.of("h1", "h2", "h3"), ok.toBuilder().nodelist(List.of("h[1-3]", "h2")).build()
                .requiredHosts());
    }
}
