"""The bookkeeping of a client that must get every one of its jobs accepted exactly once, whatever the broker does.

Submission ids are fixed up front (PREFIX-00000, ...). Each is sent no earlier than its turn at the given rate,
with at most WINDOW unanswered on the current connection. Every acceptance is appended to a log as
"submissionId jobId" and flushed at once. After a reconnect, every id sent before but not yet accepted is due
again, with the same id, so the scheduler's unique key returns the job it already made.
"""
import argparse
import json
import threading
import time


def arguments(doc, *extra):
    """The command line every resubmitting client shares, plus its own required options."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name in ("--config", "--prefix", "--accept-log", "--ran-log", "--workdir") + extra:
        parser.add_argument(name, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--window", type=int, default=200)
    parser.add_argument("--deadline", type=float, default=300)
    return parser.parse_args()


def keep_submitting(ledger, deadline, connect, submit, close):
    """Connects and submits until the connection is lost, again and again, until every submission is accepted
    or the monotonic deadline passes. connect() raises while the broker is away, submit(connection) when it
    goes; close(connection) ends a connection however it ended. Returns (connections made, errors seen)."""
    connections, errors = 0, []
    while not ledger.done() and time.monotonic() < deadline:
        try:
            connection = connect()
        except Exception as e:
            errors.append("connect: " + repr(e)[:200])
            time.sleep(0.25)
            continue
        connections += 1
        try:
            submit(connection)
        except Exception as e:
            errors.append(repr(e)[:200])
            print("connection lost: %r" % e, flush=True)
        finally:
            try:
                close(connection)
            except Exception:
                pass
    return connections, errors


class Ledger:
    def __init__(self, prefix, count, rate, window, accept_log, ran_log, workdir):
        self.ids = ["%s-%05d" % (prefix, n) for n in range(count)]
        self.rate = rate
        self.window = window
        self.ran_log = ran_log
        self.workdir = workdir
        self.log = open(accept_log, "a")
        self.lock = threading.Lock()
        self.accepted = {}
        self.conflicts = []
        self.rejected = []
        self.acceptances = 0
        self.next = 0
        self.resend = []
        self.unanswered = set()
        self.started = time.monotonic()

    def body(self, sid):
        spec = {"name": "durable", "user": "durability", "workDir": self.workdir,
                "script": "#!/bin/sh\necho %s >> %s\n" % (sid, self.ran_log)}
        return json.dumps({"type": "submit-job", "submissionId": sid, "spec": spec})

    def new_connection(self):
        """Everything sent before and not accepted is due again, ahead of new submissions."""
        with self.lock:
            self.unanswered.clear()
            self.resend = [sid for sid in self.ids[:self.next] if sid not in self.accepted]
            return len(self.resend)

    def next_due(self):
        """(submission id to send now, None) or (None, seconds until one may be due)."""
        with self.lock:
            if len(self.unanswered) >= self.window:
                return None, 0.05
            while self.resend:
                sid = self.resend.pop(0)
                if sid not in self.accepted:
                    self.unanswered.add(sid)
                    return sid, None
            if self.next >= len(self.ids):
                return None, 0.05
            wait = self.started + self.next / self.rate - time.monotonic()
            if wait > 0:
                return None, min(wait, 0.05)
            sid = self.ids[self.next]
            self.next += 1
            self.unanswered.add(sid)
            return sid, None

    def on_reply(self, text):
        reply = json.loads(text)
        with self.lock:
            sid = reply.get("submissionId")
            if reply.get("type") != "job-accepted":
                self.rejected.append(text)
                return
            job = reply["jobId"]
            self.log.write("%s %d\n" % (sid, job))
            self.log.flush()
            self.acceptances += 1
            if self.accepted.setdefault(sid, job) != job:
                self.conflicts.append("%s: job %d, then job %d" % (sid, self.accepted[sid], job))
            self.unanswered.discard(sid)

    def clean(self):
        """Every submission accepted, always as the same job, and none refused."""
        with self.lock:
            return len(self.accepted) == len(self.ids) and not self.conflicts and not self.rejected

    def done(self):
        with self.lock:
            return len(self.accepted) == len(self.ids)

    def summary(self, **extra):
        with self.lock:
            missing = [sid for sid in self.ids if sid not in self.accepted]
            return json.dumps(dict(extra, submissions=len(self.ids), sent=self.next, accepted=len(self.accepted),
                                   acceptances=self.acceptances, missing=missing[:20], missingCount=len(missing),
                                   conflicts=self.conflicts[:20], rejected=self.rejected[:20]))
