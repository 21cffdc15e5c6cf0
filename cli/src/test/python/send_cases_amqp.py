"""Sends a case file to cadre.submit over AMQP 1.0 and records the replies that come back.

    send_cases_amqp.py --config client.json --cases FILE --replies FILE [--deadline SECONDS]

Messages are durable (proton's default is not) and settled by the broker in windows, so a full case file
goes out quickly without losing the broker's verdict on each one. Prints a JSON summary as its last line.
"""
import json
import sys
import time

from proton import Delivery, Message, Timeout
from proton.utils import BlockingConnection

import case_file

WINDOW = 100


def encodable(value):
    """AMQP strings are Unicode scalar values: a lone surrogate, which JSON and Java allow, becomes U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {encodable(k): encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encodable(v) for v in value]
    return value


def amqp_body(case):
    if case["kind"] in ("map", "list"):
        return encodable(case["body"])
    if case["kind"] == "none":
        return None
    data = case_file.raw_body(case)
    return data.decode("utf-8") if case["kind"] == "text" else data


def drain(receiver, tally):
    received = False
    while True:
        try:
            m = receiver.receive(timeout=0)
        except Timeout:
            break
        tally.add(m.correlation_id, (m.properties or {}).get("type"), m.body)
        received = True
    if received:
        receiver.accept()


def main():
    args = case_file.sender_arguments(__doc__)
    cases = case_file.read_cases(args.cases)
    tally = case_file.ReplyTally(cases)
    host, port, user, password = case_file.endpoint(args.config, "amqpUrl")
    conn = BlockingConnection("%s:%d" % (host, port), timeout=60, user=user, password=password,
                              allowed_mechs="PLAIN")
    receiver = conn.create_receiver(None, dynamic=True, credit=1000)
    reply_to = receiver.link.remote_source.address
    sender = conn.create_sender("cadre.submit")
    started = time.monotonic()
    for first in range(0, len(cases), WINDOW):
        window = cases[first:first + WINDOW]
        deliveries = [sender.link.send(Message(body=amqp_body(c), durable=True, correlation_id=c["id"],
                                               reply_to=reply_to if c["replyTo"] else None)) for c in window]
        conn.wait(lambda: all(d.settled for d in deliveries), timeout=60, msg="settling a window of cases")
        for c, d in zip(window, deliveries):
            if d.remote_state != Delivery.ACCEPTED:
                tally.refused(c["id"], d.remote_state)
            d.settle()
        drain(receiver, tally)
    sent = time.monotonic() - started
    deadline = time.monotonic() + args.deadline
    while not tally.complete() and time.monotonic() < deadline:
        try:
            conn.wait(lambda: receiver.fetcher.has_message, timeout=1)
        except Timeout:
            pass
        drain(receiver, tally)
    tally.write(args.replies)
    conn.close()
    summary = dict(tally.summary(), protocol="amqp", sent=len(cases), sendSeconds=round(sent, 2))
    print(json.dumps(summary), flush=True)
    return 0 if tally.complete() else 1


if __name__ == "__main__":
    sys.exit(main())
