package dev.cadre.cli.slurm;

import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ShellWord;
import java.util.List;
import java.util.Map;

/**
 * The two shell programs of a command run at the user's own terminal or pipe in a job srun or salloc submitted (srun
 * --pty, salloc without a command at a terminal, srun with piped input): the job's script, which holds the
 * allocation, and the command the client then runs on the job's first node through the node's exec queue. They meet
 * in a private directory in the job's working directory, {@code .cadre-interactive-JOB-ATTEMPT}: the script writes
 * the job's environment there (what a batch script gets, SLURM_JOB_ID, SLURM_NODELIST, the exec variables an srun
 * inside needs) and a FIFO; the command starts under that environment, says so on the FIFO, and writes its exit
 * status there when it ends, which the script exits with once the command's shell has exited too (its end of the
 * FIFO closed): the job's end has the node kill what is left of the job, which would otherwise catch that shell
 * between its word and its own exit, and srun would tell a command that exited as Terminated. A command that dies
 * without a word (its client went away and the node killed it) closes the FIFO, and the script exits 129, as a shell
 * hung up on does; a command that never comes within {@link #START_SECONDS} lets the allocation go.
 */
public final class AllocationHold {
    /** How long the job's script waits for its command before it gives the allocation back. */
    public static final int START_SECONDS = 300;
    /** How long the command waits for the script to have written the environment (the job has just started). */
    static final int READY_TENTHS = 300;

    private AllocationHold() {
    }

    /** The job's script: sh runs it (sbatch --wrap), and it hands over to bash. */
    public static String script() {
        String hold = """
                d=".cadre-interactive-$CADRE_JOB_ID-$CADRE_ATTEMPT"
                rm -rf "$d"
                mkdir -m 700 "$d" && env -0 > "$d/env" && mkfifo -m 600 "$d/end" || exit 1
                exec 3<>"$d/end"
                if ! read -t %d -r started <&3; then
                  echo "cadre: no command came to run in job $SLURM_JOB_ID within %d s; the allocation ends" >&2
                  rm -rf "$d"
                  exit 1
                fi
                exec 4<"$d/end" 3>&-
                read -r rc <&4
                while read -r _ <&4; do :; done
                rm -rf "$d"
                case "$rc" in ''|*[!0-9]*) exit 129 ;; esac
                exit "$rc"
                """.formatted(START_SECONDS, START_SECONDS);
        return "exec bash -c " + ShellWord.quote(hold);
    }

    /**
     * The command line the job's first node runs with bash, in the job's working directory: {@code words} under the
     * job's environment, in a pseudo-terminal of {@code size} when {@code terminal} (util-linux's script), else with
     * the exec's own pipes.
     *
     * @param size the local terminal's size, or null when it is not known (the pty keeps its default)
     * @param overrides variables set over the job's environment (TERM, from the client's)
     */
    public static String command(List<String> words, boolean terminal, TerminalSize size,
            Map<String, String> overrides) {
        StringBuilder run = new StringBuilder("perl -e ").append(ShellWord.quote(LOADER))
                .append(" \"$CADRE_HOLD_ENV\"");
        if (terminal && !overrides.isEmpty()) {
            // After the loader, which sets the job's environment in place of any other.
            StringBuilder inner = new StringBuilder();
            overrides.forEach((k, v) -> inner.append(k).append('=').append(ShellWord.quote(v)).append("; export ")
                    .append(k).append("; "));
            inner.append("exec \"$@\"");
            run.append(" sh -c ").append(ShellWord.quote(inner.toString())).append(" sh");
        }
        words.forEach(w -> run.append(' ').append(ShellWord.quote(w)));
        String started = terminal ? PseudoTerminal.wrap("exec " + run, size) : run.toString();
        return """
                d="$PWD/.cadre-interactive-$CADRE_JOB_ID-$CADRE_ATTEMPT"
                i=0
                while [ ! -p "$d/end" ] && [ $i -lt %d ]; do sleep 0.1; i=$((i + 1)); done
                if [ ! -p "$d/end" ]; then
                  echo "cadre: job $CADRE_JOB_ID holds no allocation on $(hostname) to run the command in" >&2
                  exit 255
                fi
                export CADRE_HOLD_ENV="$d/env"
                exec 3<>"$d/end"
                echo started >&3
                %s 3>&-
                rc=$?
                echo "$rc" >&3
                exit "$rc"
                """.formatted(READY_TENTHS, started);
    }

    /**
     * Replaces the environment with the job's (NUL-separated NAME=VALUE, as env -0 writes it) and runs the rest of the
     * arguments. Perl, which every node has for cadre-rsh, keeps names no shell could set (BASH_FUNC_x%%).
     */
    private static final String LOADER = "open(my $f, \"<\", shift) or die \"cannot read the environment of the"
            + " job: $!\\n\"; local $/ = \"\\0\"; my %e; while (my $kv = <$f>) { chomp $kv; my ($k, $v) = split"
            + " /=/, $kv, 2; $e{$k} = $v if defined $v && length $k } %ENV = %e; exec { $ARGV[0] } @ARGV or die"
            + " \"$ARGV[0]: $!\\n\"";
}
