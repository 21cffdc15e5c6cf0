# Cadre's job launcher: one long-lived process per node-runner (JobLauncher.java starts it and talks to it),
# which forks itself into each attempt's wrapper. Starting perl for every job cost an exec and an interpreter
# start (about 1.5 ms of CPU) on top of the JVM's own spawn; a fork of this process costs a fraction of that.
# The wrapper it forks does what JobWrapper's one-liner does when the node-runner starts a job without it, and
# also records whether anything of the job outlived its script (see wrapper).
#
# node-runner/src/main/c/job-launcher.c is this program compiled, and what the node-runner runs where its build
# made it (LauncherProgram.java): the two take the same requests and give the same answers, claims and status
# files, and JobLauncherIntegrationTest runs against both. A change to one is a change to the other.
#
# It lives in a session of its own and ignores SIGHUP and SIGPIPE, so it outlives a node-runner killed with
# SIGKILL. When its stdin closes it takes no more work, keeps reaping, and exits once its last wrapper has
# ended; each wrapper writes its attempt's status file itself, so a restarted node-runner finds the outcome.
#
# stdin: requests. Each is one netstring (LENGTH:BYTES,) whose bytes are netstrings, the fields:
#   launch ID STATUS CLAIM CGROUP WORKDIR STDIN STDOUT STDERR APPEND NENV NAME1 VALUE1 ... COMMAND...
# CGROUP empty joins none; STDERR empty sends stderr into stdout; APPEND is 1 or 0. Any byte may appear in a field:
# nothing is a line.
# stdout: one line per answer.
#   ready                  once, when requests are taken
#   started ID PID         the wrapper was forked
#   failed ID REASON       nothing was started
#   ended PID WAITSTATUS   a wrapper ended and was reaped (wait(2)'s status)
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

# The signals a wrapper blocks, as shield_set in job-wrapper.c (which says why and which): one a script sends its own
# process group would end the wrapper too, without a record of the script's end.
my %number;
@number{split ' ', $Config::Config{sig_name}} = split ' ', $Config::Config{sig_num};
my %unshielded = map { ($number{$_} => 1) } qw(KILL STOP CHLD CONT WINCH URG TSTP TTIN TTOU SEGV BUS ILL FPE TRAP SYS);
my $shielded = POSIX::SigSet->new(grep { !$unshielded{$_} && ($_ < $number{SYS} || $_ >= POSIX::SIGRTMIN()) }
    1 .. POSIX::SIGRTMAX());

# The jobs get the dispositions this process was started with, not the ones it sets for itself below.
my %inherited = map { ($_ => (defined $SIG{$_} ? $SIG{$_} : 'DEFAULT')) } qw(HUP PIPE);
defined POSIX::setsid() or print STDERR "cadre-job-launcher: setsid: $!\n";
chdir('/'); # so as not to hold the node-runner's directory busy
$0 = 'cadre-job-launcher';
# The JVM's thread that started this process blocks SIGQUIT (its thread dumps); jobs start with nothing blocked.
POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new);
$SIG{HUP} = 'IGNORE';
$SIG{PIPE} = 'IGNORE';

# SIGCHLD writes to this pipe, so that select() wakes for a child that ends just before it is entered.
pipe(my $wake_in, my $wake_out) or die "cadre-job-launcher: pipe: $!\n";
for my $end ($wake_in, $wake_out) {
    fcntl($end, Fcntl::F_SETFL(), Fcntl::O_NONBLOCK()) or die "cadre-job-launcher: fcntl: $!\n";
}
$SIG{CHLD} = sub { syswrite($wake_out, 'x') };

my $answering = 1;
my %children;

sub answer {
    my ($line) = @_;
    my $done = 0;
    while ($answering && $done < length $line) {
        my $n = syswrite(STDOUT, $line, length($line) - $done, $done);
        if (defined $n) {
            $done += $n;
        } elsif (!$!{EINTR}) {
            $answering = 0; # the node-runner is gone; the wrappers' status files still tell
        }
    }
}

sub reap {
    while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
        delete $children{$pid};
        answer("ended $pid $?\n");
    }
}

# Takes one request off the front of the buffer: its fields, or nothing while it is incomplete.
sub next_request {
    my ($buffer) = @_;
    my $colon = index($$buffer, ':');
    return () if $colon < 0;
    my $length = substr($$buffer, 0, $colon);
    die "cadre-job-launcher: bad request framing\n" unless $length =~ /\A[0-9]{1,9}\z/;
    return () if length($$buffer) < $colon + 1 + $length + 1;
    my $payload = substr($$buffer, $colon + 1, $length);
    die "cadre-job-launcher: bad request framing\n" unless substr($$buffer, $colon + 1 + $length, 1) eq ',';
    substr($$buffer, 0, $colon + 1 + $length + 1) = '';
    my @fields;
    while (length $payload) {
        my $c = index($payload, ':');
        my $n = $c < 0 ? '' : substr($payload, 0, $c);
        die "cadre-job-launcher: bad field framing\n"
            unless $n =~ /\A[0-9]{1,9}\z/ && length($payload) >= $c + 1 + $n + 1 && substr($payload, $c + 1 + $n, 1) eq ',';
        push @fields, substr($payload, $c + 1, $n);
        substr($payload, 0, $c + 1 + $n + 1) = '';
    }
    return (\@fields);
}

# A reason is one line however odd the paths in it are.
sub refuse {
    my ($id, $reason) = @_;
    $reason =~ s/[\r\n]/?/g;
    answer("failed $id $reason\n");
}

# What a file is when a job's stream cannot be it (the stat of it in _); nothing for a regular file or a character
# device (/dev/null).
sub unusable_kind {
    return -f _ || -c _ ? undef : -p _ ? 'a FIFO' : -S _ ? 'a socket' : -d _ ? 'a directory'
        : -b _ ? 'a block device' : 'no regular file';
}

# Opens one of the job's streams: its handle, or nothing and the reason. Without blocking, as open_stream in
# launcher-requests.c (which says why), and only a regular file or a character device.
sub open_stream {
    my ($path, $flags) = @_;
    my ($fh, $kind);
    if (!sysopen($fh, $path, $flags | Fcntl::O_NOCTTY() | Fcntl::O_NONBLOCK(), 0666)) {
        my $failed = "$!";
        # A FIFO without a reader fails with ENXIO, which would say nothing to whoever gave the path.
        $kind = unusable_kind() if stat $path;
        return (undef, "cannot open $path: $failed") unless defined $kind;
    } elsif (!stat($fh) || !fcntl($fh, Fcntl::F_SETFL(), $flags)) {
        return (undef, "cannot open $path: $!");
    } else {
        $kind = unusable_kind();
    }
    return (undef, "cannot open $path: it is $kind; a job's stream must be a regular file or a character device"
        . " such as /dev/null") if defined $kind;
    return ($fh);
}

sub launch {
    my ($id, $status, $claim, $cgroup, $dir, $stdin, $stdout, $stderr, $append, $nenv, @rest) = @_;
    my @env = splice(@rest, 0, 2 * $nenv);
    my @command = @rest;
    my $mode = Fcntl::O_WRONLY() | Fcntl::O_CREAT() | ($append ? Fcntl::O_APPEND() : Fcntl::O_TRUNC());
    # Opened here, before the fork, so that a path the job cannot write fails the launch with its reason.
    my ($in, $out, $err, $why);
    ($in, $why) = open_stream($stdin, Fcntl::O_RDONLY());
    return refuse($id, $why) unless $in;
    ($out, $why) = open_stream($stdout, $mode);
    return refuse($id, $why) unless $out;
    if (length $stderr) {
        ($err, $why) = open_stream($stderr, $mode);
        return refuse($id, $why) unless $err;
    }
    # The wrapper starts in the attempt's directory and takes its claim by a name relative to it. A wrapper slow
    # to get that far cannot then claim a directory that a restarted node-runner removed (it found the attempt
    # unclaimed and started it itself) and created anew for the same attempt: no file can be made in a removed
    # directory, so the late wrapper backs off with 125.
    my ($attempt, $name) = $claim =~ m{\A(.*)/([^/]+)\z}s or return refuse($id, "claim $claim names no directory");
    chdir($attempt) or return refuse($id, "cannot enter $attempt: $!");
    my $pid = fork;
    if (defined $pid && $pid == 0) {
        wrapper($status, $claim, $name, $cgroup, $dir, $in, $out, $err || $out, \@env, \@command);
    }
    chdir('/');
    return refuse($id, "cannot fork: $!") unless defined $pid;
    $children{$pid} = 1;
    answer("started $id $pid\n");
}

sub wrapper {
    my ($status, $claim, $name, $cgroup, $dir, $in, $out, $err, $env, $command) = @_;
    # First of all, so that /proc/PID/cmdline names the claim once the claim exists (AttemptDirectory.isWrapper).
    $0 = "cadre-wrapper $claim";
    POSIX::sigprocmask(POSIX::SIG_BLOCK(), $shielded);
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
    # The job's streams replace the launcher's pipes and log; nothing else of the launcher stays open.
    POSIX::dup2(fileno($in), 0);
    POSIX::dup2(fileno($out), 1);
    POSIX::dup2(fileno($err), 2);
    close $_ for grep { fileno($_) > 2 } $in, $out, $err;
    close $wake_in;
    close $wake_out;
    POSIX::_exit(125) unless $won;
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

answer("ready\n");
my $buffer = '';
my $accepting = 1;
while ($accepting || %children) {
    reap();
    last unless $accepting || %children;
    my $watched = '';
    vec($watched, fileno($wake_in), 1) = 1;
    vec($watched, 0, 1) = 1 if $accepting;
    # The timeout is a backstop only: SIGCHLD and requests wake it.
    my $ready = select(my $readable = $watched, undef, undef, 5);
    next if $ready <= 0;
    sysread($wake_in, my $drained, 4096) if vec($readable, fileno($wake_in), 1);
    next unless $accepting && vec($readable, 0, 1);
    my $got = sysread(STDIN, $buffer, 65536, length $buffer);
    if (!$got) {
        next if !defined $got && $!{EINTR};
        $accepting = 0; # the node-runner closed our stdin or died: no more work, but the wrappers run on
        next;
    }
    eval {
        while (my ($fields) = next_request(\$buffer)) {
            my ($kind, @args) = @$fields;
            die "cadre-job-launcher: unknown request '$kind'\n" unless $kind eq 'launch';
            launch(@args);
        }
        1;
    } or do {
        # The node-runner sent what it never should: stop answering it, so that it starts another launcher.
        print STDERR $@;
        $accepting = 0;
        $answering = 0;
        close STDOUT;
    };
}
exit 0;
