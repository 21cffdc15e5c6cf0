package dev.cadre.db;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Ordered migrations, tracked in SQLite's user_version. Append new steps; never edit a released one.
 * Times are epoch milliseconds.
 */
final class Schema {
    private static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE jobs (
              id INTEGER PRIMARY KEY,
              submission_key TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              user TEXT NOT NULL,
              spec TEXT NOT NULL,
              state TEXT NOT NULL,
              reason TEXT,
              attempt INTEGER NOT NULL DEFAULT 0,
              allocation TEXT,
              launch_confirmed INTEGER NOT NULL DEFAULT 0,
              exit_code INTEGER,
              signal INTEGER,
              submit_time INTEGER NOT NULL,
              start_time INTEGER,
              end_time INTEGER
            );
            CREATE INDEX jobs_state ON jobs(state);
            CREATE TABLE job_events (
              seq INTEGER PRIMARY KEY,
              job_id INTEGER NOT NULL REFERENCES jobs(id),
              time INTEGER NOT NULL,
              from_state TEXT,
              to_state TEXT NOT NULL,
              reason TEXT,
              attempt INTEGER NOT NULL
            );
            CREATE INDEX job_events_job ON job_events(job_id);
            CREATE TABLE job_attempts (
              job_id INTEGER NOT NULL REFERENCES jobs(id),
              attempt INTEGER NOT NULL,
              nodes TEXT NOT NULL,
              start_time INTEGER NOT NULL,
              end_time INTEGER,
              state TEXT,
              exit_code INTEGER,
              signal INTEGER,
              error TEXT,
              PRIMARY KEY (job_id, attempt)
            );
            CREATE TABLE nodes (
              id TEXT PRIMARY KEY,
              hostname TEXT NOT NULL,
              addresses TEXT NOT NULL,
              cores INTEGER NOT NULL,
              memory_mb INTEGER NOT NULL,
              gpus INTEGER NOT NULL,
              state TEXT NOT NULL,
              last_seen INTEGER NOT NULL,
              reason TEXT
            );
            """,
            """
            -- Events up to published_seq are known to be on the broker; later ones are published again at start.
            CREATE TABLE event_outbox (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              published_seq INTEGER NOT NULL
            );
            INSERT INTO event_outbox (id, published_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM job_events;
            """,
            """
            -- Backoff after a node failure; job arrays: the array's own row keeps the pending task ids, split-off
            -- task rows store an empty spec and read their array's.
            ALTER TABLE jobs ADD COLUMN eligible_time INTEGER;
            ALTER TABLE jobs ADD COLUMN array_job_id INTEGER;
            ALTER TABLE jobs ADD COLUMN array_task_id INTEGER;
            ALTER TABLE jobs ADD COLUMN array_pending TEXT;
            CREATE INDEX jobs_array ON jobs(array_job_id, array_task_id);
            """,
            """
            -- Standing services and what their reconciler has seen; instances are jobs whose spec names them.
            CREATE TABLE services (
              name TEXT PRIMARY KEY,
              spec TEXT NOT NULL,
              state TEXT NOT NULL,
              consecutive_failures INTEGER NOT NULL,
              last_error TEXT,
              next_attempt INTEGER,
              launched INTEGER NOT NULL,
              created INTEGER NOT NULL
            );
            """,
            """
            -- A service's last counted failure (its instances that started before it ended in the same round) and
            -- the cancelled instances to replace at once, whatever the backoff.
            ALTER TABLE services ADD COLUMN last_failure INTEGER;
            ALTER TABLE services ADD COLUMN replace_at_once INTEGER NOT NULL DEFAULT 0;
            """,
            """
            -- A node an administrator drained: no new jobs until resumed, whatever its liveness does meanwhile.
            ALTER TABLE nodes ADD COLUMN drain_reason TEXT;
            ALTER TABLE nodes ADD COLUMN drain_user TEXT;
            ALTER TABLE nodes ADD COLUMN drain_since INTEGER;
            """,
            """
            -- History retention: ended jobs are pruned oldest end first. Job ids are rowids, which SQLite would
            -- give again once the newest rows are gone; a prune first raises this mark to the highest id, and new
            -- ids go above it.
            CREATE INDEX jobs_end_time ON jobs(end_time);
            CREATE TABLE job_id_mark (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              highest INTEGER NOT NULL
            );
            INSERT INTO job_id_mark (id, highest) SELECT 1, COALESCE(MAX(id), 0) FROM jobs;
            """,
            """
            -- A service's rounds in a row of instances lost with their node, counted against their own budget.
            ALTER TABLE services ADD COLUMN node_failures INTEGER NOT NULL DEFAULT 0;
            """,
            """
            -- Control requests carried out, with their answers: a repeat of one is answered, not applied again
            -- (AnsweredRequests). The rowid orders them for the bound on their number.
            CREATE TABLE answered_requests (
              request_key TEXT PRIMARY KEY,
              fingerprint TEXT NOT NULL,
              answer TEXT NOT NULL,
              answered_at INTEGER NOT NULL
            );
            CREATE INDEX answered_requests_time ON answered_requests(answered_at);
            """,
            """
            -- Slots the scheduler keeps for attempts it ended while a node may still be killing them (KillHolds):
            -- what it holds in memory, written whenever that changes, for sinfo, the REST API and the status page.
            CREATE TABLE kill_holds (
              job_id INTEGER NOT NULL,
              attempt INTEGER NOT NULL,
              node_id TEXT NOT NULL,
              cores INTEGER NOT NULL,
              gpus INTEGER NOT NULL,
              memory_mb INTEGER NOT NULL,
              since INTEGER NOT NULL,
              PRIMARY KEY (job_id, attempt, node_id)
            );
            """,
            """
            -- The bytes each answered request takes (its key, fingerprint and answer, UTF-8) and their total, for
            -- the bound on what the answers keep on disk (AnsweredRequests.MOST_BYTES). Triggers keep the total with
            -- every row written or deleted, in the same transaction: a rolled-back write leaves it as it was, and
            -- no insert sums the table. (BEGIN stands on a line of its own: Jdbi's script lexer takes no other.)
            -- Filling the column rewrites each row it fills, large answers included, in this one transaction: so
            -- the answers the bound would drop go first (those past the newest 256 MiB, MOST_BYTES, the newest
            -- always kept), found by reading, or a file the old bounds let grow to gigabytes would need as much again
            -- free for the rewrite.
            DELETE FROM answered_requests WHERE rowid IN (
              SELECT rowid FROM (
                SELECT rowid, SUM(length(CAST(request_key AS BLOB)) + length(CAST(fingerprint AS BLOB))
                  + length(CAST(answer AS BLOB))) OVER (ORDER BY rowid DESC) AS newer_bytes
                FROM answered_requests)
              WHERE newer_bytes > 268435456)
              AND rowid < (SELECT MAX(rowid) FROM answered_requests);
            ALTER TABLE answered_requests ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
            UPDATE answered_requests SET bytes = length(CAST(request_key AS BLOB)) + length(CAST(fingerprint AS BLOB))
              + length(CAST(answer AS BLOB));
            CREATE TABLE answered_requests_bytes (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              total INTEGER NOT NULL
            );
            INSERT INTO answered_requests_bytes (id, total) SELECT 1, COALESCE(SUM(bytes), 0) FROM answered_requests;
            CREATE TRIGGER answered_requests_added AFTER INSERT ON answered_requests
            BEGIN
              UPDATE answered_requests_bytes SET total = total + new.bytes;
            END;
            CREATE TRIGGER answered_requests_dropped AFTER DELETE ON answered_requests
            BEGIN
              UPDATE answered_requests_bytes SET total = total - old.bytes;
            END;
            CREATE TRIGGER answered_requests_resized AFTER UPDATE OF bytes ON answered_requests
            BEGIN
              UPDATE answered_requests_bytes SET total = total - old.bytes + new.bytes;
            END;
            """,
            """
            -- The newest event number ever written: a part of an array joined into another record goes with its
            -- events (JobChangeWriter.delete), which may be the newest, and numbering must never go back below
            -- what was published.
            ALTER TABLE event_outbox ADD COLUMN highest_seq INTEGER NOT NULL DEFAULT 0;
            UPDATE event_outbox SET highest_seq = COALESCE((SELECT MAX(seq) FROM job_events), 0);
            """,
            """
            -- The array task of the record when the event happened: a record that stands for an array's pending
            -- tasks takes on the task id of the last one to start, and its earlier events must not be republished
            -- under it. Events not yet published when this runs keep what was published from the job's row before.
            ALTER TABLE job_events ADD COLUMN array_task_id INTEGER;
            UPDATE job_events SET array_task_id = (SELECT j.array_task_id FROM jobs j WHERE j.id = job_events.job_id)
              WHERE seq > (SELECT published_seq FROM event_outbox);
            """,
            """
            -- What an attempt's processes used on the node that ran its script, as that node reported at its end
            -- (ResourceUsage: CPU time in user and kernel mode in microseconds, the peak resident memory in bytes).
            -- Null while it runs, where the node could not tell, and for attempts that ended before this.
            ALTER TABLE job_attempts ADD COLUMN user_cpu_micros INTEGER;
            ALTER TABLE job_attempts ADD COLUMN system_cpu_micros INTEGER;
            ALTER TABLE job_attempts ADD COLUMN max_rss_bytes INTEGER;
            """,
            """
            -- Who cancelled the job (sacct's "CANCELLED by"): the user a cancel-job named, written with the change
            -- that carries the cancel out (a pending job's end, a running one's kill, so that it outlasts a restart
            -- before the node confirms). Null for a job the scheduler cancelled on its own, one whose cancel named
            -- nobody, and every job cancelled before this.
            ALTER TABLE jobs ADD COLUMN cancelled_by TEXT;
            """,
            """
            -- The rest of an attempt's usage as its node reported it (ResourceUsage): the largest virtual memory size
            -- the node sampled, and the bytes read from and written to storage. Null where the node could not tell,
            -- and for attempts that ended before this.
            ALTER TABLE job_attempts ADD COLUMN max_vm_size_bytes INTEGER;
            ALTER TABLE job_attempts ADD COLUMN disk_read_bytes INTEGER;
            ALTER TABLE job_attempts ADD COLUMN disk_write_bytes INTEGER;
            """,
            """
            -- Each node's accounting history (NodeHistory), for sreport's cluster Utilization: a row when what the node
            -- counts as changes (UP with its cores, DOWN, DRAINED, REMOVED), holding from its time until the node's
            -- next row. Written by the scheduler on those changes only, never per heartbeat.
            CREATE TABLE node_events (
              seq INTEGER PRIMARY KEY,
              node_id TEXT NOT NULL,
              hostname TEXT NOT NULL,
              time INTEGER NOT NULL,
              status TEXT NOT NULL,
              cores INTEGER NOT NULL,
              reason TEXT,
              user TEXT
            );
            CREATE INDEX node_events_node ON node_events(node_id, seq);
            """,
            """
            -- scontrol suspend: when the current attempt was last suspended or resumed (Slurm's SuspendTime, null when
            -- it never was), and how long it spent suspended before its last resume or its end, which its time limit
            -- and its elapsed time leave out (sacct's Suspended). A suspension under way runs from suspend_time.
            ALTER TABLE jobs ADD COLUMN suspend_time INTEGER;
            ALTER TABLE jobs ADD COLUMN suspended_millis INTEGER NOT NULL DEFAULT 0;
            """,
            """
            -- sacctmgr show event (NodeHistory.spans): the events of a window in the order of their time, so that a
            -- page of them is read from the index, the query stopping at its limit.
            CREATE INDEX node_events_time ON node_events(time);
            """,
            """
            -- The shares of its time limit an attempt was mailed about (--mail-type TIME_LIMIT_50/80/90), a bitmask
            -- (TimeLimitMailed), so that a restarted head mails each share once, those that passed while it was down
            -- too. Attempts running when this was added may have been mailed by the head before, which kept no
            -- record: they are marked as such (bit 8), and their shares passed before the next start count as mailed.
            ALTER TABLE job_attempts ADD COLUMN time_limit_mailed INTEGER NOT NULL DEFAULT 0;
            UPDATE job_attempts SET time_limit_mailed = 8 WHERE end_time IS NULL;
            """,
            """
            -- The CPU ids an attempt held on each node of its allocation, as the node said (runner-running, its
            -- heartbeats): Linux's list format, '' when it ran unbound there (AttemptCpus). With the node's place in
            -- the allocation, its host name and the memory it was given there, for scontrol -d show job's per-node
            -- lines. No row for a node that did not say (a node-runner from before, an attempt from before this).
            CREATE TABLE attempt_cpus (
              job_id INTEGER NOT NULL,
              attempt INTEGER NOT NULL,
              node_id TEXT NOT NULL,
              node_index INTEGER NOT NULL,
              hostname TEXT NOT NULL,
              cpus TEXT NOT NULL,
              memory_mb INTEGER NOT NULL,
              PRIMARY KEY (job_id, attempt, node_id)
            );
            """,
            """
            -- Advance reservations (ReservationStore): times in epoch milliseconds; nodes, users and flags joined by
            -- commas, which no host, user or flag name holds. A row goes once its reservation is deleted or ended.
            CREATE TABLE reservations (name TEXT PRIMARY KEY, start_time INTEGER NOT NULL, end_time INTEGER NOT NULL,
              nodes TEXT NOT NULL, users TEXT NOT NULL, flags TEXT NOT NULL);
            """,
            """
            -- The GPU indexes the attempt held on the node, as it said with its CPU ids: Linux's list format over the
            -- indexes ('0-1,3'), '' for none, NULL where the node did not say (a node-runner from before GPUs were
            -- bound, a row from before this), for scontrol -d show job's GRES=gpu:N(IDX:...).
            ALTER TABLE attempt_cpus ADD COLUMN gpus TEXT;
            """,
            """
            -- The indexes of the node's GPUs of each type, as it said them (node-heartbeat's gpuTypes), as a JSON
            -- object ('{"a100":[0,1],"v100":[2]}'); NULL when its GPUs have no type, for a row from before this too.
            ALTER TABLE nodes ADD COLUMN gpu_types TEXT;
            """,
            """
            -- Each user's fair-share usage (FairShareStore): the CPU-seconds of its jobs' attempts, halved every
            -- --priority-decay-half-life, charged up to the one mark row's charged_until (epoch milliseconds), with the
            -- weight and half-life (milliseconds) the head had then, which GET /api/shares reports.
            CREATE TABLE fair_share_usage (user TEXT PRIMARY KEY, usage REAL NOT NULL);
            CREATE TABLE fair_share_mark (id INTEGER PRIMARY KEY CHECK (id = 1), charged_until INTEGER NOT NULL,
              weight INTEGER NOT NULL, half_life INTEGER NOT NULL);
            """,
            """
            -- Partitions (PartitionStore): nodes as a Slurm host list or ALL; times in minutes, NULL for none. No
            -- row at all stands for Cadre's first partition, batch of every node, as before partitions.
            CREATE TABLE partitions (name TEXT PRIMARY KEY, nodes TEXT NOT NULL, is_default INTEGER NOT NULL,
              max_time INTEGER, default_time INTEGER, state TEXT NOT NULL);
            """);

    private Schema() {
    }

    static void migrate(Jdbi jdbi) {
        jdbi.useTransaction(h -> {
            int version = h.createQuery("PRAGMA user_version").mapTo(Integer.class).one();
            if (version > MIGRATIONS.size()) {
                throw new IllegalStateException("database schema version " + version
                        + " is newer than this Cadre (" + MIGRATIONS.size() + "); upgrade Cadre");
            }
            for (int i = version; i < MIGRATIONS.size(); i++) {
                h.createScript(MIGRATIONS.get(i)).execute();
                h.execute("PRAGMA user_version = " + (i + 1));
            }
        });
    }
}
