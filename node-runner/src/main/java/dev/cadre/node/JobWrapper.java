package dev.cadre.node;

import dev.cadre.node.core.CpuList;
import dev.cadre.node.core.LaunchPlan;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wrapper as a process of its own, which the node-runner starts while it has no job launcher
 * (job-launcher.pl forks the same wrapper from itself, without an exec of perl; see {@link JobStarter}).
 *
 * <p>The command runs an attempt's script in a session and process group of its own (and in the attempt's cgroup,
 * which it joins before it runs anything, where the node tracks jobs by cgroup), and a few lines of
 * perl (present on every Debian system as perl-base) record its exit status exactly, which no shell can ($?
 * folds a signal into 128+N), and what it used ({@link dev.cadre.node.core.WrapperStatus}). Not being the job's
 * subreaper, it cannot tell whether anything of the job is left, and counts only the processes the script reaped.
 *
 * <p>Before running anything the wrapper takes the attempt's claim file, atomically (link(2) fails if the
 * name exists) and with its own pid inside. A node-runner that died between creating the attempt and
 * recording the pid can then tell "never started" (it takes the claim itself, and a late wrapper backs off
 * with exit 125) from "started" (the claim holds the wrapper's pid), so the job neither runs twice nor is
 * given up for lost.
 *
 * <p>exec can fail with ETXTBSY when another launch's fork, in this multi-threaded JVM, briefly holds a copy of
 * the script's write descriptor; that passes within milliseconds, so the wrapper retries (bounded) instead of
 * failing the job with 127.
 *
 * <p>As the launcher's wrappers do, it survives the signals a script may send its own process group (`kill -USR1
 * 0`), here by catching them (shield_set in job-wrapper.c lists which): perl's system cannot give the script a
 * signal mask other than its own, and a caught signal is back at its default in the script. Its claim and status
 * are written checked, so that a full file system leaves none rather than one cut short.
 *
 * <p>perl starts with none of the job's environment as itself (PERL5OPT, PERL5LIB or LD_PRELOAD would apply to
 * Cadre's perl): each variable comes as {@value #JOB_VARIABLE}NAME, and the wrapper gives the script them alone,
 * under their own names.
 */
final class JobWrapper {
    /** The wrapper's exit status when the attempt was already claimed by someone else. */
    static final int CLAIMED_ELSEWHERE = 125;
    static final String JOB_VARIABLE = "CADRE_JOB_ENV_";

    private static final String PERL = "my $s = shift @ARGV; my $c = shift @ARGV; my $w = shift @ARGV;"
            + " my $cg = shift @ARGV; my $ru = shift @ARGV; my $cpu = shift @ARGV; my $sa = shift @ARGV;"
            + " (my $n = $c) =~ s{.*/}{}s;"
            // As bind_cpus in wrapper-cpus.c: before the claim; a failure is said once the claim is won.
            + " my $ub = ''; if (length $cpu) { my $m = ''; vec($m, $_, 1) = 1 for split /,/, $cpu;"
            + " $m .= \"\\0\" x ((8 - length($m) % 8) % 8);"
            + " $ub = !length $sa ? 'sched_setaffinity is unknown on this architecture'"
            + " : syscall($sa, 0, length($m), $m) == 0 ? '' : \"$!\" }"
            + " $SIG{$_} ||= sub {} for grep"
            + " { !/\\A(?:KILL|STOP|CHLD|CLD|CONT|WINCH|URG|TSTP|TTIN|TTOU|SEGV|BUS|ILL|FPE|TRAP|SYS)\\z/ } keys %SIG;"
            + " %ENV = map { /\\A" + JOB_VARIABLE + "(.*)\\z/s ? ($1, $ENV{$_}) : () } keys %ENV;"
            + " open(my $p, '>', \"$n.$$\") or exit 125;"
            + " unless (print $p \"$$\\n\" and close $p) {"
            + " print STDERR \"cadre: cannot write the claim $c: $!\\n\"; unlink \"$n.$$\"; exit 125 }"
            + " my $won = link(\"$n.$$\", $n); unlink \"$n.$$\"; exit 125 unless $won;"
            + " print STDERR \"cadre: cannot bind the job to CPUs $cpu: $ub; it runs on any\\n\" if length $ub;"
            // As join_cgroup in job-wrapper.c: no O_CREAT (O_WRONLY is 1), the reason also in "failed".
            + " if (length $cg) { my $h; unless (sysopen($h, \"$cg/cgroup.procs\", 1) and syswrite($h, \"$$\\n\")"
            + " and close $h) { my $l = sprintf(\"cannot join the cgroup %s: %s (errno %d)\\n\", $cg, \"$!\", $! + 0);"
            + " print STDERR \"cadre: $l\"; my $f; (open($f, '>', 'failed.tmp') and print $f $l and close $f"
            + " and rename 'failed.tmp', 'failed') or print STDERR \"cadre: cannot record that in failed: $!\\n\";"
            + " exit 126 } }"
            + " chdir($w) or do { print STDERR \"cadre: cannot enter $w: $!\\n\"; exit 126 };"
            // As own_io in job-wrapper.pl: read_bytes and write_bytes before the script, and after it below.
            + " my $io = sub { my $h; open($h, '<', '/proc/self/io') or return (); my %i = map"
            + " { /^(\\w+): (\\d+)$/ ? ($1, $2) : () } <$h>; close $h;"
            + " defined $i{read_bytes} && defined $i{write_bytes} ? ($i{read_bytes}, $i{write_bytes}) : () };"
            + " my @b = $io->();"
            + " my $tries = 0;"
            + " while (1) { system { $ARGV[0] } @ARGV;"
            + " last unless $? == -1 && $!{ETXTBSY} && $tries++ < 200; select(undef, undef, undef, 0.01); }"
            + " my ($e, $g) = $? == -1 ? (127, 0) : ($? >> 8, $? & 127);"
            + " print STDERR \"cadre: cannot run the job script: $!\\n\" if $? == -1;"
            // As usage_fields in job-wrapper.pl: getrusage(2) by its number where it is known, else times' CPU.
            + " my $u = \"\\0\" x 256; $u = length $ru && syscall($ru, -1, $u) == 0 ? do { my @r = unpack('l!5', $u);"
            + " join(' ', $r[0] * 1000000 + $r[1], $r[2] * 1000000 + $r[3], $r[4] * 1024) }"
            + " : do { my @t = times; sprintf('%.0f %.0f -', $t[2] * 1e6, $t[3] * 1e6) };"
            + " my @a = $io->(); $u .= @b && @a && $a[0] >= $b[0] && $a[1] >= $b[1]"
            + " ? ' ' . ($a[0] - $b[0]) . ' ' . ($a[1] - $b[1]) : ' - -';"
            // The third field is '-': without a subreaper this wrapper cannot tell whether anything of the job is left.
            + " my $f; (open($f, '>', \"$s.tmp\") and print $f \"$e $g - $u\\n\" and close $f"
            + " and rename \"$s.tmp\", $s)"
            + " or do { print STDERR \"cadre: cannot record the job's end in $s: $!\\n\"; unlink \"$s.tmp\" };"
            + " exit($g ? 128 + $g : $e);";

    private JobWrapper() {
    }

    /**
     * The wrapper for the plan's attempt, with its environment and streams only. It starts in the attempt's
     * directory, takes its claim there by a relative name and then enters the working directory: as in
     * job-wrapper.pl, a wrapper late to its claim cannot claim the directory a restarted runner created anew for
     * the same attempt. The claim's full path stays among its arguments, which is how
     * {@link AttemptDirectory#isWrapper} recognises it.
     */
    static ProcessBuilder processBuilder(AttemptDirectory dir, LaunchPlan plan, Path cgroup, Set<Integer> cpus)
            throws IOException {
        for (Path stream : Arrays.asList(plan.stdin(), plan.stdout(), plan.stderr())) {
            refuseUnusable(stream);
        }
        List<String> command = command(dir, plan, cgroup, cpus);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.dir().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        plan.environment().forEach((name, value) -> env.put(JOB_VARIABLE + name, value));
        if (command.get(0).equals("setsid")) {
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")); // where setsid(1) finds perl
        }
        pb.redirectOutput(plan.append() ? ProcessBuilder.Redirect.appendTo(plan.stdout().toFile())
                : ProcessBuilder.Redirect.to(plan.stdout().toFile()));
        if (plan.stderr() == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(plan.append() ? ProcessBuilder.Redirect.appendTo(plan.stderr().toFile())
                    : ProcessBuilder.Redirect.to(plan.stderr().toFile()));
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(plan.stdin() == null ? new File("/dev/null")
                : plan.stdin().toFile()));
        return pb;
    }

    /**
     * Refuses a stream that is not a regular file or a character device, as the launchers do (open_stream in
     * launcher-requests.c). The JVM opens the streams, on the thread that starts the job, and its open(2) of a FIFO
     * would wait for the FIFO's other end, holding every command of the node meanwhile. A path that does not exist
     * yet, or cannot be looked at, is left to the open, which creates it or says why not.
     *
     * @param path null for none
     */
    static void refuseUnusable(Path path) throws IOException {
        int mode;
        try {
            mode = path == null ? REGULAR : (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException e) {
            return;
        }
        String kind = switch (mode & FILE_TYPE) {
            case REGULAR, CHARACTER_DEVICE -> null;
            case FIFO -> "a FIFO";
            case SOCKET -> "a socket";
            case DIRECTORY -> "a directory";
            case BLOCK_DEVICE -> "a block device";
            default -> "no regular file";
        };
        if (kind != null) {
            throw new IOException("cannot open " + path + ": it is " + kind + "; a job's stream must be a regular file"
                    + " or a character device such as /dev/null");
        }
    }

    /** The file types of stat(2)'s st_mode. */
    private static final int FILE_TYPE = 0170000;
    private static final int REGULAR = 0100000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int FIFO = 0010000;
    private static final int SOCKET = 0140000;
    private static final int DIRECTORY = 0040000;
    private static final int BLOCK_DEVICE = 0060000;

    /**
     * setsid(2)'s number where it is known, so that perl opens the session itself: starting setsid(1) first
     * costs a whole exec per job, and perl's POSIX module, which would name the call, takes longer still to load.
     */
    private static final Map<String, Integer> SETSID_CALL = Map.of("amd64", 112, "x86_64", 112, "aarch64", 157,
            "riscv64", 157);
    /** getrusage(2)'s number, for what the script used; elsewhere perl's times gives the CPU alone. */
    private static final Map<String, Integer> GETRUSAGE_CALL = Map.of("amd64", 98, "x86_64", 98, "aarch64", 165,
            "riscv64", 165);

    /** sched_setaffinity(2)'s number, for the CPUs the job is bound to; elsewhere it runs unbound. */
    private static final Map<String, Integer> SETAFFINITY_CALL = Map.of("amd64", 203, "x86_64", 203, "aarch64", 122,
            "riscv64", 122);

    /** What the wrapper runs: the plan's launcher (an MPI launcher, or nothing), the script, its arguments. */
    static List<String> script(AttemptDirectory dir, LaunchPlan plan) {
        List<String> command = new ArrayList<>(plan.launcher());
        command.add(dir.script().toString());
        command.addAll(plan.place().spec().args());
        return command;
    }

    private static List<String> command(AttemptDirectory dir, LaunchPlan plan, Path cgroup, Set<Integer> cpus) {
        Integer setsid = SETSID_CALL.get(System.getProperty("os.arch"));
        List<String> command = new ArrayList<>(setsid == null ? List.of("setsid", "perl", "-e", PERL)
                : List.of("perl", "-e", "syscall(" + setsid + ") >= 0 or do { print STDERR \"cadre: setsid: $!\\n\"; exit 126 };"
                        + " " + PERL));
        Integer getrusage = GETRUSAGE_CALL.get(System.getProperty("os.arch"));
        Integer setAffinity = SETAFFINITY_CALL.get(System.getProperty("os.arch"));
        command.addAll(List.of(dir.statusFile().toString(), dir.claimFile().toString(),
                plan.workDir().toString(), cgroup == null ? "" : cgroup.toString(),
                getrusage == null ? "" : getrusage.toString(), CpuList.wire(cpus),
                setAffinity == null ? "" : setAffinity.toString()));
        command.addAll(script(dir, plan));
        return command;
    }
}
