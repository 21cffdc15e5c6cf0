# Cadre's job launcher: one long-lived process per node-runner (JobLauncher.java starts it and talks to it),
# which forks itself into each attempt's wrapper. Starting perl for every job cost an exec and an interpreter
# start (about 1.5 ms of CPU) on top of the JVM's own spawn; a fork of this process costs a fraction of that.
# The wrapper it forks does what JobWrapper's one-liner does when the node-runner starts a job without it, and
# also records whether anything of the job outlived its script: that is job-wrapper.pl, which comes before this
# file in the one program perl is given (perl -e "job-wrapper.pl job-launcher.pl", LauncherProgram.java), and
# wrapper below is its sub.
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
    my ($id, $status, $claim, $cgroup, $cpus, $dir, $stdin, $stdout, $stderr, $append, $nenv, @rest) = @_;
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
        wrapper($status, $claim, $name, $cgroup, $cpus, $dir, $in, $out, $err || $out, \@env, \@command,
            [$wake_in, $wake_out]);
    }
    chdir('/');
    return refuse($id, "cannot fork: $!") unless defined $pid;
    $children{$pid} = 1;
    answer("started $id $pid\n");
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
