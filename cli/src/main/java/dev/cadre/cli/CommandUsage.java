package dev.cadre.cli;

import java.util.List;

/**
 * What {@code cadre up|server|node|watch|service --help} prints: each command's options with their defaults.
 * docs/configuration.md says more of each; a test keeps the two naming the same options.
 */
final class CommandUsage {
    private static final String HEAD = """
              --data-dir DIR           broker journal, SQLite, secrets, client files (default $CADRE_HOME, else ~/.cadre)
              --bind ADDR              address of every listener (default 127.0.0.1; 0.0.0.0 for all)
              --http-port N            REST API and status page (default 6820; 0 picks a free port)
              --broker-port N          Artemis CORE acceptor, JMS (default 61616)
              --node-port N            CORE over TLS for nodes, with the head's certificate (default 61617; 0 picks
                                       a free port); node.json names it
              --amqp-port N            AMQP 1.0 acceptor (default 5672)
              --stomp-port N           STOMP acceptor (default 61613)
              --client-tls             the broker ports and the REST API/status page speak TLS alone, with the head's
                                       certificate, which client.json carries and every Cadre client pins (default off)
              --node-timeout S         seconds of silence before a node is DOWN (default 60)
              --kill-grace S           seconds between SIGTERM and SIGKILL (default 10)
              --cluster NAME           cluster name announced over mDNS (default cadre)
              --mdns-address ADDR      address the mDNS announcement is sent from, or off (default: an IPv4 --bind,
                                       else the default route's address)
              --scheduler-policy P     fcfs, easy-backfill or conservative-backfill (default easy-backfill)
              --backfill-depth N       most queued jobs a backfill pass judges (default 1000)
              --backfill-resolution S  conservative backfill's step in seconds (default 60)
              --backfill-window S      how far ahead conservative backfill plans (default 86400)
              --requeue-backoff S      wait before a job's start after a node failure, doubled each time (default 10)
              --requeue-backoff-max S  the cap on that wait (default 600)
              --dependency-never-satisfied cancel|hold   what happens to a job whose dependency cannot be met
              --enable-user-top        let users who are not operators 'scontrol top' their own jobs (default off)
              --job-history-retention T  how long ended jobs stay in cadre.db, e.g. 90d (default forever)
              --priority-weight-fairshare N  priority points of a fair-share factor of 1.0 (default 0: not weighed)
              --priority-decay-half-life T  how long until past usage counts half, e.g. 7-0 or 0 for never
                                       (default 7-0, a week)
              --priority-calc-period S  how often usage is charged and fair-share factors worked out (default 300)
              --mail-prog PATH         runs PATH -s SUBJECT USER for jobs' --mail-type mail; '' for none (default
                                       /usr/bin/mail when it is there)
            """;

    private static final String LOCAL_NODE = """
              --cores N                cores the local node-runner offers (default all)
              --gpus N|TYPE:N,...      GPUs the local node-runner offers, e.g. 2 or a100:2,v100:1 (default: what
                                       nvidia-smi -L lists)
              --heartbeat MS           the local node's heartbeat interval (default 2000)
              --runtime-dir DIR        where the local node keeps its attempt directories (default: a RAM file system)
              --process-tracking MODE  auto, cgroup or session: how the local node finds a job's processes (default auto)
              --memory-check-interval MS  how often the local node measures jobs' memory against --mem (default 1000)
              --cpu-binding MODE       cores or none: bind the local node's jobs to the CPUs they were given (default cores)
            """;

    static final String UP = "usage: cadre up [options]\n"
            + "Starts the broker, scheduler, REST API, status page and a local node-runner in one process.\n"
            + HEAD + LOCAL_NODE + "See docs/configuration.md.\n";

    static final String SERVER = "usage: cadre server [options]\n"
            + "Starts the head only: broker, scheduler, REST API and status page; nodes join with 'cadre node'.\n"
            + HEAD + "See docs/configuration.md.\n";

    static final String NODE = """
            usage: cadre node [options]
            Starts a node-runner that joins a head, found over mDNS unless --server names it.
              --server URL             the head's broker, e.g. tcp://head:61616 (default: found over mDNS); the node
                                       joins its host on node.json's node port, over TLS
              --cluster NAME           join only a head announcing this cluster name (default cadre)
              --mdns-address ADDR      IPv4 address to browse mDNS from
              --discovery-wait S       how long to browse for the head (default 15)
              --rediscover-after S     cut off from a head found over mDNS this long, browse again (default 120)
              --config FILE            node credentials written by the head (default <data-dir>/node.json)
              --state-dir DIR          node id, attempt outcomes, output records (default <data-dir>/node)
              --runtime-dir DIR        where attempt directories are kept (default: a RAM file system)
              --hostname NAME          name shown in node lists and SLURM_JOB_NODELIST (default: short host name)
              --cores N, --memory MB, --gpus N   resources offered (default: detected); --gpus TYPE:N,... offers
                                       typed GPUs, e.g. a100:2,v100:1
              --heartbeat MS           heartbeat interval (default 2000)
              --kill-grace S           seconds between SIGTERM and SIGKILL (default 10)
              --mpi KIND               auto, openmpi, mpich or none (default auto)
              --process-tracking MODE  auto, cgroup or session: how a job's processes are found (default auto)
              --memory-check-interval MS  how often a job's memory is measured against its --mem (default 1000)
              --cpu-binding MODE       cores or none: bind each job to the CPUs it was given (default cores)
            See docs/configuration.md.
            """;

    static final String WATCH = """
            usage: cadre watch [JOBID | ARRAYID_TASKID] [--user U] [--config FILE]
            Prints job state changes as they happen: one job's (its history first), every record of an array's
            (its id), one task's of an array (12_3), or every job's, or a user's.
            """;

    private CommandUsage() {
    }

    /** Whether the words ask for help; words after "--" belong to a command and are not looked at. */
    static boolean asked(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }
}
