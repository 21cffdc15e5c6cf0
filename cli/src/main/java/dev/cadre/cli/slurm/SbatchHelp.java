package dev.cadre.cli.slurm;

/** What sbatch prints for --help, --usage and --version: Slurm's layout, listing the options Cadre honours. */
final class SbatchHelp {
    static final String VERSION = CommandOptions.VERSION;

    static final String USAGE = """
            Usage: sbatch [-N nnodes] [-n ntasks] [-c ncpus] [--ntasks-per-node=n]
                          [-t time] [-D path] [-J jobname] [-o out] [-e err] [-i in]
                          [--mem=MB] [--mem-per-cpu=MB] [--gpus-per-task=n] [-G gpus]
                          [-w hosts] [-x hosts] [--exclusive] [--export=names]
                          [-a array] [-b begin] [-d dependency] [-H] [--nice[=value]]
                          [--priority=value] [--signal=[B:]num[@time]] [--requeue] [--no-requeue]
                          [--open-mode=append|truncate] [--parsable] [-Q] [-W] [-v]
                          [--test-only] [--wrap="command"] [script [args...]]
            """;

    static final String HELP = """
            Usage: sbatch [OPTIONS...] [script [args...]]
            The script is read from standard input when neither a script nor --wrap is given.

            Parallel run options:
              -a, --array=indexes         job array index values (0-99, 1,3,5-7, 0-20:4, %4 throttles)
              -b, --begin=time            defer job until HH:MM MM/DD/YY, now+N[units] ...
              -c, --cpus-per-task=ncpus   number of cpus required per task
                  --deadline=time         remove the job if no ending is possible before
                                          this deadline (start > (deadline - time))
              -d, --dependency=type:jobid[:time] defer job until condition on jobid is satisfied
                                          (after, afterok, afternotok, afterany, singleton;
                                          aftercorr: array task i after task i of jobid completes)
                  --kill-on-invalid-dep=yes|no  cancel, or keep held, a job whose dependency cannot be met
                  --mail-type=type        notify on state change: BEGIN, END, FAIL, REQUEUE, ALL, TIME_LIMIT,
                                          TIME_LIMIT_90/80/50, INVALID_DEPEND, ARRAY_TASKS or NONE
                  --mail-user=user        who to send email notification for job state changes
              -D, --chdir=directory       set working directory for batch script
              -e, --error=err             file for batch script's standard error
                  --export=names          specify environment variables to export (ALL, NONE, names)
              -H, --hold                  submit job in held state
              -i, --input=in              file for batch script's standard input
              -J, --job-name=jobname      name of job
                  --nice[=value]          decrease scheduling priority by value
              -n, --ntasks=ntasks         number of tasks to run
                  --ntasks-per-node=n     number of tasks to invoke on each node
              -N, --nodes=N               number of nodes on which to run (N = min[-max])
              -o, --output=out            file for batch script's standard output
                  --open-mode=append|truncate  how the output files are opened
                  --parsable              outputs only the jobid
              -p, --partition=partition   partition requested
                  --priority=value        set the priority of the job to value
              -Q, --quiet                 quiet mode (suppress informational messages)
                  --requeue               if set, permit the job to be requeued
                  --no-requeue            if set, do not permit the job to be requeued
                  --signal=[B:]num[@time] send signal when time limit within time seconds
              -t, --time=minutes          time limit
                  --test-only             validate the job and say when it would start; submit nothing
              -v, --verbose               verbose mode (accepted, prints nothing more)
              -W, --wait                  wait for completion of submitted job; exit with its exit code
                  --wrap=command string   wrap command string in a sh script and submit

            Constraint options:
                  --exclusive             allocate nodes in exclusive mode
                  --mem=MB                minimum amount of real memory
                  --mem-per-cpu=MB        maximum amount of real memory per allocated cpu
              -w, --nodelist=hosts...     request a specific list of hosts
              -x, --exclude=hosts...      exclude a specific list of hosts

            Consumable resources related options:
                  --cpus-per-gpu=n        number of CPUs required per allocated GPU
              -G, --gpus=n                count of GPUs required for the job
                  --gpus-per-node=n       number of GPUs required per allocated node
                  --gpus-per-task=n       number of GPUs required per spawned task
                  --gres=gpu:n            required generic resources (GPUs only)
                  --ntasks-per-gpu=1      number of tasks to invoke for each GPU (one: whole GPUs)

            --mem=0 asks for all of each node's memory, which gives the job whole nodes.
            -M/--clusters takes all or this cluster's name, and changes nothing.
            Accepted with a warning, as Cadre has no such thing: -A/--account, -C/--constraint,
            --comment, --hint, --ntasks-per-core, -q/--qos, --threads-per-core, --wckey.

            Help options:
              -h, --help                  show this help message
              -u, --usage                 display brief usage message
              -V, --version               output version information and exit
            """;

    private SbatchHelp() {
    }
}
