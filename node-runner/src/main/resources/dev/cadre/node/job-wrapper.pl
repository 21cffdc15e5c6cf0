# The wrapper that Cadre's job launcher (job-launcher.pl) forks for each attempt: it takes the attempt's claim, puts
# the job's files on its stdin, stdout and stderr, joins the attempt's cgroup, runs the script as the job's child
# subreaper and writes the attempt's status file (see wrapper). It is no program of its own: the node-runner gives
# perl -e this file's text followed by job-launcher.pl's (LauncherProgram.java), one program whose launcher part
# calls wrapper below in each child it forks. This file comes first, so its settings below are read before the
# launcher changes anything of its process.
#
# node-runner/src/main/c/job-wrapper.c is this part compiled: a change to one is a change to the other.
use strict;
use POSIX ();
use Fcntl ();
use Config ();

# prctl(2)'s number where it is known: a wrapper makes itself its job's child subreaper through it (see wrapper).
my %PRCTL_CALL = (x86_64 => 157, aarch64 => 167, riscv64 => 167);
my ($arch) = $Config::Config{archname} =~ /\A([^-]+)/;
my $prctl = $PRCTL_CALL{$arch};
# getrusage(2)'s number where it is known, and where struct rusage is that of a 64-bit ABI as usage_fields unpacks it.
my %GETRUSAGE_CALL = (x86_64 => 98, aarch64 => 165, riscv64 => 165);
my $getrusage = $Config::Config{longsize} == 8 ? $GETRUSAGE_CALL{$arch} : undef;
# sched_setaffinity(2)'s number where it is known, for bind_cpus; elsewhere jobs run unbound.
my %SETAFFINITY_CALL = (x86_64 => 203, aarch64 => 122, riscv64 => 122);
my $setaffinity = $SETAFFINITY_CALL{$arch};

# The signals a wrapper blocks, as shield_set in job-wrapper.c (which says why and which): one a script sends its own
# process group would end the wrapper too, without a record of the script's end.
my %number;
@number{split ' ', $Config::Config{sig_name}} = split ' ', $Config::Config{sig_num};
my %unshielded = map { ($number{$_} => 1) } qw(KILL STOP CHLD CONT WINCH URG TSTP TTIN TTOU SEGV BUS ILL FPE TRAP SYS);
my $shielded = POSIX::SigSet->new(grep { !$unshielded{$_} && ($_ < $number{SYS} || $_ >= POSIX::SIGRTMIN()) }
    1 .. POSIX::SIGRTMAX());

# The jobs get the dispositions the launcher was started with, not the ones it sets for itself.
my %inherited = map { ($_ => (defined $SIG{$_} ? $SIG{$_} : 'DEFAULT')) } qw(HUP PIPE);

# In the child the launcher forked for a launch request; it never returns. $in, $out and $err are the job's streams,
# which the launcher opened; $launchers_own holds the launcher's own handles, which the job must not hold.
sub wrapper {
    my ($status, $claim, $name, $cgroup, $cpus, $dir, $in, $out, $err, $env, $command, $launchers_own) = @_;
    # First of all, so that /proc/PID/cmdline names the claim once the claim exists (AttemptDirectory.isWrapper).
    $0 = "cadre-wrapper $claim";
    POSIX::sigprocmask(POSIX::SIG_BLOCK(), $shielded);
    my $unbound = bind_cpus($cpus);
    # The claim is taken while this process still holds the launcher's stdout: once the node-runner reads the end
    # of that pipe, every wrapper of the launcher has taken its claim or ended (JobStarter relies on it).
    my $won = 0;
    if (open(my $p, '>', "$name.$$")) {
        # A claim cut short (a full file system) would name no pid: none is taken, and nothing runs.
        if ((print $p "$$\n") && close($p)) {
            $won = link("$name.$$", $name);
        } else {
            print STDERR "cadre-wrapper: cannot write the claim $claim: $!\n";
        }
        unlink "$name.$$";
    }
    # The job's streams replace the launcher's pipes and log; nothing else of the launcher (its handles in
    # @$launchers_own) stays open.
    POSIX::dup2(fileno($in), 0);
    POSIX::dup2(fileno($out), 1);
    POSIX::dup2(fileno($err), 2);
    close $_ for grep { fileno($_) > 2 } $in, $out, $err;
    close $_ for @$launchers_own;
    POSIX::_exit(125) unless $won;
    print STDERR "cadre: cannot bind the job to CPUs $cpus: $unbound; it runs on any\n" if length $unbound;
    join_cgroup($cgroup) if length $cgroup;
    $SIG{CHLD} = 'DEFAULT';
    $SIG{$_} = $inherited{$_} for keys %inherited;
    defined POSIX::setsid() or do { print STDERR "cadre: setsid: $!\n"; POSIX::_exit(126) };
    chdir($dir) or do { print STDERR "cadre: cannot enter $dir: $!\n"; POSIX::_exit(126) };
    %ENV = @$env;
    # As the job's child subreaper (PR_SET_CHILD_SUBREAPER, 36) this wrapper stays the ancestor of every process
    # the job starts, even of those whose parents end. A process can join a session only by being forked into it,
    # so once the script has ended one wait(2) tells whether anything of the session or group still runs, and the
    # node-runner need not search /proc for it, which costs more than a trivial job does.
    my $reaper = defined $prctl && syscall($prctl, 36, 1, 0, 0, 0) == 0;
    # What this wrapper did itself before the script (its claim's write) is no part of the job's figures.
    my @io_before = own_io();
    # As JobWrapper: exec fails with ETXTBSY while another fork briefly holds the script's write descriptor.
    my $tries = 0;
    my $ended;
    while (1) {
        $ended = run_command($command);
        last unless $ended == -1 && $!{ETXTBSY} && $tries++ < 200;
        select(undef, undef, undef, 0.01);
    }
    my ($e, $g) = $ended == -1 ? (127, 0) : ($ended >> 8, $ended & 127);
    print STDERR "cadre: cannot run the job script: $!\n" if $ended == -1;
    # The third field: 0 when nothing of the job runs any more, 1 when something does, - when it cannot be told.
    my $left = '-';
    if ($reaper) {
        my $reaped;
        1 while ($reaped = waitpid(-1, POSIX::WNOHANG())) > 0;
        $left = $reaped < 0 && $!{ECHILD} ? '0' : '1';
    }
    my $used = usage_fields() . ' ' . io_fields(@io_before);
    # Without its status file the node-runner still has this exit value, which says the same but for the third field
    # and the usage.
    my $f;
    unless (open($f, '>', "$status.tmp") && (print $f "$e $g $left $used\n") && close($f)
            && rename("$status.tmp", $status)) {
        print STDERR "cadre: cannot record the job's end in $status: $!\n";
        unlink "$status.tmp";
    }
    POSIX::_exit($g ? 128 + $g : $e);
}

# The last three fields of the status line, as usage_fields in job-wrapper.c (which says what they count): USER SYSTEM
# MAXRSS of the wrapper's children. getrusage(2) by its number where it is known; else times, which has the CPU (in
# clock ticks) but not the memory, written as '-' for unknown.
sub usage_fields {
    my $used = "\0" x 256; # struct rusage is 144 bytes
    if (defined $getrusage && syscall($getrusage, -1, $used) == 0) { # RUSAGE_CHILDREN
        my ($user_s, $user_us, $system_s, $system_us, $maxrss_kib) = unpack('l!5', $used);
        return join(' ', $user_s * 1_000_000 + $user_us, $system_s * 1_000_000 + $system_us, $maxrss_kib * 1024);
    }
    my (undef, undef, $user, $system) = times;
    return sprintf('%.0f %.0f -', $user * 1e6, $system * 1e6);
}

# This wrapper's own read_bytes and write_bytes (/proc/self/io), as own_io in job-wrapper.c (which says why); empty
# when they cannot be read.
sub own_io {
    my $f;
    open($f, '<', '/proc/self/io') or return ();
    my %io = map { /^(\w+): (\d+)$/ ? ($1, $2) : () } <$f>;
    close $f;
    return defined $io{read_bytes} && defined $io{write_bytes} ? ($io{read_bytes}, $io{write_bytes}) : ();
}

# The last two fields of the status line, READ WRITE: what the script and the processes reaped below it read and
# wrote, this wrapper's counts now less those before the script (@before); '- -' when unknown.
sub io_fields {
    my @before = @_;
    my @after = own_io();
    return '- -' unless @before && @after && $after[0] >= $before[0] && $after[1] >= $before[1];
    return ($after[0] - $before[0]) . ' ' . ($after[1] - $before[1]);
}

# Binds the wrapper, and so the job, to the CPUs (comma-separated ids, none when empty), as bind_cpus in
# wrapper-cpus.c (which says why before the claim); returns '' or why it could not.
sub bind_cpus {
    my ($cpus) = @_;
    return '' unless length $cpus;
    return 'sched_setaffinity is unknown on this architecture' unless defined $setaffinity;
    my $mask = '';
    for my $cpu (split /,/, $cpus) {
        return 'no list of CPU ids' unless $cpu =~ /\A\d{1,4}\z/;
        vec($mask, $cpu, 1) = 1;
    }
    # The kernel reads whole longs of the mask.
    $mask .= "\0" x ((8 - length($mask) % 8) % 8);
    return syscall($setaffinity, 0, length($mask), $mask) == 0 ? '' : "$!";
}

# Moves the wrapper into the attempt's cgroup before it runs anything, as join_cgroup in job-wrapper.c (which says
# why): opened without O_CREAT, so that a path that is no cgroup fails; the reason, with the path and errno, goes to
# stderr and to "failed" in the attempt directory, which the node-runner reports.
sub join_cgroup {
    my ($cgroup) = @_;
    my $procs;
    return if sysopen($procs, "$cgroup/cgroup.procs", Fcntl::O_WRONLY()) && syswrite($procs, "$$\n") && close($procs);
    my $line = sprintf("cannot join the cgroup %s: %s (errno %d)\n", $cgroup, "$!", $! + 0);
    print STDERR "cadre: $line";
    my $f;
    unless (open($f, '>', 'failed.tmp') && (print $f $line) && close($f) && rename('failed.tmp', 'failed')) {
        print STDERR "cadre: cannot record that in failed: $!\n";
    }
    POSIX::_exit(126);
}

# Runs the command as the wrapper's child, as system would, with no signal blocked: wait(2)'s status, or -1 with $!
# when it could not be run. Unlike system, it reaps meanwhile the orphans of the job that this subreaper adopts,
# which would otherwise stay zombies until the script ended.
sub run_command {
    my ($command) = @_;
    # exec's errno comes back through this pipe, which a successful exec closes (perl sets close-on-exec on it).
    pipe(my $failure_in, my $failure_out) or return -1;
    my $pid = fork;
    return -1 unless defined $pid;
    if ($pid == 0) {
        close $failure_in;
        POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new);
        { exec { $command->[0] } @$command; }
        syswrite($failure_out, pack('i', $! + 0));
        POSIX::_exit(127);
    }
    close $failure_out;
    my ($got, $errno);
    1 until defined($got = sysread($failure_in, $errno, 4)) || !$!{EINTR};
    close $failure_in;
    my $status = 127 << 8;
    while (1) {
        my $reaped = waitpid(-1, 0);
        if ($reaped == $pid) {
            $status = $?;
            last;
        }
        last if $reaped < 0 && !$!{EINTR};
    }
    if ($got) {
        $! = unpack('i', $errno);
        return -1;
    }
    return $status;
}
