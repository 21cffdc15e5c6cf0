"""Submits jobs over STOMP 1.2 and keeps at it through broker restarts until every one is accepted.

    resubmit_stomp.py --config client.json --reply-queue NAME --prefix P --count N --rate PER_SECOND --window W
                      --accept-log FILE --ran-log FILE --workdir DIR --deadline SECONDS

Replies come to a durable anycast queue made for this client beforehand (STOMP cannot make one itself), named
in reply-to as queue://NAME. Every SEND is persistent and asks for a receipt. After a reconnect everything
without an acceptance is sent again with the same submission id (see resubmission.py). Prints a JSON summary
as its last line.
"""
import sys
import threading
import time

import stomp

import case_file
import resubmission


class Channel(stomp.ConnectionListener):
    def __init__(self, ledger):
        self.ledger = ledger
        self.lost = threading.Event()
        self.subscribed = threading.Event()
        self.receipts = 0
        self.errors = []

    def on_message(self, frame):
        self.ledger.on_reply(frame.body)

    def on_receipt(self, frame):
        if frame.headers.get("receipt-id") == "subscribed":
            self.subscribed.set()
        self.receipts += 1

    def on_error(self, frame):
        self.errors.append(frame.headers.get("message", "") + " " + str(frame.body)[:200])

    def on_disconnected(self):
        self.lost.set()


def submit_until_lost(conn, channel, reply_queue, ledger, deadline):
    conn.subscribe("/queue/" + reply_queue, id="replies", ack="auto", headers={"receipt": "subscribed"})
    if not channel.subscribed.wait(10):
        raise RuntimeError("no receipt for the reply subscription")
    print("connected; sending %d again" % ledger.new_connection(), flush=True)
    while not ledger.done() and not channel.lost.is_set() and time.monotonic() < deadline:
        sid, wait = ledger.next_due()
        if sid is None:
            channel.lost.wait(wait)
            continue
        conn.send("/queue/cadre.submit", ledger.body(sid), headers={
            "persistent": "true", "reply-to": "queue://" + reply_queue, "correlation-id": sid, "receipt": sid})


def main():
    args = resubmission.arguments(__doc__, "--reply-queue")
    ledger = resubmission.Ledger(args.prefix, args.count, args.rate, args.window, args.accept_log, args.ran_log,
                                 args.workdir)
    host, port, user, password = case_file.endpoint(args.config, "stompUrl")
    deadline = time.monotonic() + args.deadline
    channels = []

    def connect():
        conn = stomp.Connection([(host, port)], reconnect_attempts_max=1)
        channel = Channel(ledger)
        conn.set_listener("ledger", channel)
        conn.connect(user, password, wait=True)
        channels.append(channel)
        return conn, channel

    connections, errors = resubmission.keep_submitting(
        ledger, deadline, connect,
        lambda c: submit_until_lost(c[0], c[1], args.reply_queue, ledger, deadline),
        lambda c: c[0].disconnect())
    errors.extend(e for channel in channels for e in channel.errors)
    receipts = sum(channel.receipts for channel in channels)
    print(ledger.summary(protocol="stomp", connections=connections, receipts=receipts, errors=errors[-10:]),
          flush=True)
    return 0 if ledger.clean() else 1


if __name__ == "__main__":
    sys.exit(main())
