"""Sends a case file to cadre.submit over STOMP 1.2 and records the replies that come back.

    send_cases_stomp.py --config client.json --reply-queue NAME --cases FILE --replies FILE [--deadline SECONDS]

Every SEND is persistent and asks for a receipt (without one a refused frame goes unnoticed). A bytes case
carries content-length (the broker makes it a bytes message), a text case does not (a text message). Replies
come to an existing anycast queue named in reply-to as queue://NAME. Prints a JSON summary as its last line.
"""
import json
import sys
import threading
import time

import stomp

import case_file

WINDOW = 200


class Replies(stomp.ConnectionListener):
    def __init__(self, tally):
        self.tally = tally
        self.receipts = set()
        self.errors = []
        self.changed = threading.Condition()

    def on_message(self, frame):
        self.tally.add(frame.headers.get("correlation-id"), frame.headers.get("type"), frame.body)

    def on_receipt(self, frame):
        with self.changed:
            self.receipts.add(frame.headers["receipt-id"])
            self.changed.notify_all()

    def on_error(self, frame):
        with self.changed:
            self.errors.append(frame.headers.get("message", "") + " " + str(frame.body)[:200])
            self.changed.notify_all()

    def await_receipts(self, wanted, outstanding, deadline):
        with self.changed:
            while len(wanted - self.receipts) > outstanding and time.monotonic() < deadline and not self.errors:
                self.changed.wait(0.5)
            return not self.errors and len(wanted - self.receipts) <= outstanding


def frame_of(case):
    """Body and extra headers for a case; map and list bodies, which STOMP lacks, travel as JSON text."""
    if case["kind"] in ("map", "list"):
        return json.dumps(case["body"]), {}
    data = case_file.raw_body(case)
    if case["kind"] == "bytes" or b"\x00" in data:
        return data, {"content-length": str(len(data))}
    return data.decode("utf-8"), {}


def main():
    args = case_file.sender_arguments(__doc__, "--reply-queue")
    cases = case_file.read_cases(args.cases)
    tally = case_file.ReplyTally(cases)
    host, port, user, password = case_file.endpoint(args.config, "stompUrl")
    conn = stomp.Connection([(host, port)], auto_content_length=False, reconnect_attempts_max=1)
    listener = Replies(tally)
    conn.set_listener("replies", listener)
    conn.connect(user, password, wait=True)
    conn.subscribe("/queue/" + args.reply_queue, id="replies", ack="auto", headers={"receipt": "subscribed"})
    deadline = time.monotonic() + args.deadline
    listener.await_receipts({"subscribed"}, 0, deadline)
    started = time.monotonic()
    wanted = set()
    for c in cases:
        body, headers = frame_of(c)
        headers.update({"persistent": "true", "correlation-id": c["id"], "receipt": c["id"]})
        if c["replyTo"]:
            headers["reply-to"] = "queue://" + args.reply_queue
        conn.send("/queue/cadre.submit", body, headers=headers)
        wanted.add(c["id"])
        if not listener.await_receipts(wanted, WINDOW, deadline):
            break
    listener.await_receipts(wanted, 0, deadline)
    sent = time.monotonic() - started
    tally.wait(deadline)
    tally.write(args.replies)
    missing_receipts = sorted(wanted - listener.receipts)
    conn.disconnect()
    summary = dict(tally.summary(), protocol="stomp", sent=len(wanted), sendSeconds=round(sent, 2),
                   missingReceipts=missing_receipts[:20], errors=listener.errors[:20])
    print(json.dumps(summary), flush=True)
    return 0 if tally.complete() and not missing_receipts and not listener.errors else 1


if __name__ == "__main__":
    sys.exit(main())
