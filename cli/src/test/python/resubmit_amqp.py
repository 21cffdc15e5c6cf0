"""Submits jobs over AMQP 1.0 and keeps at it through broker restarts until every one is accepted.

    resubmit_amqp.py --config client.json --prefix P --count N --rate PER_SECOND --window W
                     --accept-log FILE --ran-log FILE --workdir DIR --deadline SECONDS

Each reconnect gets a new dynamic reply queue and sends again, with the same submission ids, everything that
has no acceptance yet (see resubmission.py). Prints a JSON summary as its last line.
"""
import sys
import time

from proton import Message, Timeout
from proton.utils import BlockingConnection

import case_file
import resubmission


def submit_until_lost(conn, ledger, deadline):
    receiver = conn.create_receiver(None, dynamic=True, credit=500)
    reply_to = receiver.link.remote_source.address
    sender = conn.create_sender("cadre.submit")
    print("connected; sending %d again" % ledger.new_connection(), flush=True)
    while not ledger.done() and time.monotonic() < deadline:
        sid, wait = ledger.next_due()
        if sid is not None:
            # Durable, or a broker crash loses it: proton's default is not.
            sender.send(Message(body=ledger.body(sid), durable=True, correlation_id=sid, reply_to=reply_to),
                        timeout=10)
            wait = 0
        try:
            while True:
                reply = receiver.receive(timeout=wait)
                ledger.on_reply(reply.body)
                receiver.accept()
                wait = 0
        except Timeout:
            pass


def main():
    args = resubmission.arguments(__doc__)
    ledger = resubmission.Ledger(args.prefix, args.count, args.rate, args.window, args.accept_log, args.ran_log,
                                 args.workdir)
    host, port, user, password = case_file.endpoint(args.config, "amqpUrl")
    deadline = time.monotonic() + args.deadline
    connections, errors = resubmission.keep_submitting(
        ledger, deadline,
        lambda: BlockingConnection("%s:%d" % (host, port), timeout=10, user=user, password=password,
                                   allowed_mechs="PLAIN"),
        lambda conn: submit_until_lost(conn, ledger, deadline),
        lambda conn: conn.close())
    print(ledger.summary(protocol="amqp", connections=connections, errors=errors[-10:]), flush=True)
    return 0 if ledger.clean() else 1


if __name__ == "__main__":
    sys.exit(main())
