package dev.cadre.bench;

import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one scenario against a running head: connects its clients, warms up without counting, then sends the
 * measured submissions from every client at once and checks SQLite's job count against the acceptances.
 */
final class ScenarioRunner {
    /** Give up when no reply at all has arrived for this long. */
    private static final long STALL_MILLIS = 60_000;
    private final InProcessHead head;
    private final JobSpec spec;

    ScenarioRunner(InProcessHead head, JobSpec spec) {
        this.head = head;
        this.spec = spec;
    }

    ScenarioResult run(Scenario scenario, int warmupJobs) throws Exception {
        List<SubmittingClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < scenario.clients(); i++) {
                String name = "bench-" + scenario.name() + "-c" + i;
                clients.add(new SubmittingClient(scenario.protocol().connect(head, head.submitter(), name), name,
                        spec));
            }
            if (warmupJobs > 0) {
                Scenario warmup = new Scenario(scenario.name() + " warm-up", scenario.protocol(), scenario.clients(),
                        scenario.window(), Math.max(warmupJobs, scenario.clients()), scenario.perMessage());
                List<SubmissionRound> rounds = runRounds(warmup, clients);
                String problem = problemOf(rounds);
                if (problem != null) {
                    throw new IllegalStateException("warm-up of " + scenario.name() + " failed: " + problem);
                }
            }
            long storedBefore = head.storedJobs();
            List<SubmissionRound> rounds = runRounds(scenario, clients);
            long committed = head.storedJobs() - storedBefore;
            return result(scenario, rounds, committed);
        } finally {
            for (SubmittingClient c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("bench: closing a client: " + e);
                }
            }
        }
    }

    /** One thread per client, released together; returns when every submission is answered or stalled. */
    private List<SubmissionRound> runRounds(Scenario scenario, List<SubmittingClient> clients) throws Exception {
        List<SubmissionRound> rounds = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            rounds.add(new SubmissionRound(scenario.jobsOfClient(i), scenario.window()));
        }
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Exception> sendError = new AtomicReference<>();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            SubmittingClient client = clients.get(i);
            SubmissionRound round = rounds.get(i);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    client.send(round, scenario.perMessage());
                } catch (Exception e) {
                    sendError.compareAndSet(null, e);
                    round.noteProblem("sending stopped: " + e);
                }
            }, "bench-sender-" + i);
            t.start();
            senders.add(t);
        }
        go.countDown();
        for (Thread t : senders) {
            t.join();
        }
        if (sendError.get() != null) {
            throw sendError.get();
        }
        for (SubmissionRound r : rounds) {
            if (!r.awaitAnswers(STALL_MILLIS)) {
                r.noteProblem(r.outstanding() + " submissions unanswered after " + STALL_MILLIS / 1000
                        + " s without any reply");
            }
        }
        return rounds;
    }

    private ScenarioResult result(Scenario scenario, List<SubmissionRound> rounds, long committed) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int accepted = 0;
        int rejected = 0;
        int sendFailures = 0;
        List<long[]> latencies = new ArrayList<>();
        for (SubmissionRound r : rounds) {
            first = Math.min(first, r.firstSendNanos());
            last = Math.max(last, r.lastAnswerNanos());
            accepted += r.accepted();
            rejected += r.rejected();
            sendFailures += r.sendFailures();
            if (r.outstanding() == 0) {
                latencies.add(r.latencies());
            }
        }
        String problem = problemOf(rounds);
        if (problem == null && head.fatal() != null) {
            problem = "scheduler could not persist: " + head.fatal();
        }
        return new ScenarioResult(scenario, accepted, rejected, sendFailures, committed, (last - first) / 1e9,
                LatencySummary.of(latencies), problem);
    }

    private static String problemOf(List<SubmissionRound> rounds) {
        for (SubmissionRound r : rounds) {
            if (r.firstProblem() != null) {
                return r.firstProblem();
            }
            if (r.strayReplies() > 0) {
                return r.strayReplies() + " replies matched no unanswered submission";
            }
        }
        return null;
    }
}
