"""Case and reply files shared by the Java tests and the Python senders, one JSON object per line.

A case: {"id", "kind": text|bytes|map|list|none, "replyTo": bool, "body"}. Text and bytes bodies are base64
(a text body is valid UTF-8); map and list bodies are JSON. A reply: {"id": its correlation id, "type": its
type property, "body": its text}, or "unreadable" with the repr of a body that is not text. A message the
broker refused gets {"id", "refused": the delivery state} instead.
"""
import argparse
import base64
import json
import threading
import time


def body_case(case_id, kind, body, reply_to):
    return {"id": case_id, "kind": kind, "replyTo": reply_to, "body": base64.b64encode(body).decode("ascii")}


def map_case(case_id, entries, reply_to):
    return {"id": case_id, "kind": "map", "replyTo": reply_to, "body": entries}


def list_case(case_id, items, reply_to):
    return {"id": case_id, "kind": "list", "replyTo": reply_to, "body": items}


def is_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def raw_body(case):
    """The bytes of a text, bytes or none case."""
    return base64.b64decode(case["body"])


def write_cases(path, cases):
    with open(path, "w") as f:
        for c in cases:
            f.write(json.dumps(c) + "\n")


def read_cases(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def sender_arguments(doc, *extra):
    """The command line of a case sender: --config, --cases, --replies, --deadline, plus its own options."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name in ("--config", "--cases", "--replies") + extra:
        parser.add_argument(name, required=True)
    parser.add_argument("--deadline", type=float, default=120)
    return parser.parse_args()


def endpoint(config_path, url_key):
    """(host, port, user, password) for one of the client file's URLs, e.g. amqpUrl or stompUrl."""
    with open(config_path) as f:
        config = json.load(f)
    host, port = config[url_key].split("://", 1)[1].rsplit(":", 1)
    return host, int(port), config["user"], config["password"]


class ReplyTally:
    """The replies received so far; complete once every case that named a reply-to has one."""

    def __init__(self, cases):
        self.expected = {c["id"] for c in cases if c["replyTo"]}
        self.answered = set()
        self.lines = []
        self.changed = threading.Condition()

    def add(self, case_id, reply_type, body):
        """Records a reply; a body that is not text is kept as its repr, for the test to report."""
        line = {"id": case_id if case_id is None else str(case_id), "type": reply_type}
        if isinstance(body, str):
            line["body"] = body
        else:
            line["unreadable"] = repr(body)[:500]
        with self.changed:
            self.lines.append(line)
            self.answered.add(case_id)
            self.changed.notify_all()

    def refused(self, case_id, state):
        with self.changed:
            self.lines.append({"id": case_id, "refused": str(state)})
            self.expected.discard(case_id)
            self.changed.notify_all()

    def complete(self):
        with self.changed:
            return self.expected <= self.answered

    def wait(self, deadline):
        """Waits until complete or until the monotonic deadline; returns whether complete."""
        with self.changed:
            while not self.expected <= self.answered:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 1.0))
            return True

    def write(self, path):
        with self.changed, open(path, "w") as f:
            for line in self.lines:
                f.write(json.dumps(line) + "\n")

    def summary(self):
        with self.changed:
            return {"expected": len(self.expected), "replies": len(self.lines),
                    "missing": sorted(self.expected - self.answered)[:20]}
