#!/usr/bin/python3
"""Prints Cadre's job events (cadre.events) over STOMP 1.2, one JSON object a line.

    /usr/bin/python3 examples/stomp_watch.py --config ~/.cadre/client.json --job 42 --until-terminal
    /usr/bin/python3 examples/stomp_watch.py --config ~/.cadre/client.json --job-user alice --durable alice-jobs

Needs python3-stomp. The selector header narrows the events on the broker. With --durable NAME the
subscription outlives the connection (client-id on CONNECT, durable-subscription-name on SUBSCRIBE):
the broker keeps what arrives while you are away and delivers it when you come back with the same
--client-id, NAME and selector. Each event is acknowledged only after it is printed.
"""
import sys
import time

from client_options import TERMINAL_STATES, add_watch_options, client_id, parse_options, selector
from stomp_session import ConfirmedStomp


def main():
    args, url, user, password = parse_options('Watch job events over STOMP.', 'stompUrl', 'stomp://127.0.0.1:61613',
                                              add_watch_options)
    session = ConfirmedStomp(url, user, password, args.timeout, client_id(args) if args.durable else None)
    headers = {'ack': 'client-individual'}
    if selector(args):
        headers['selector'] = selector(args)
    if args.durable:
        headers['durable-subscription-name'] = args.durable
    session.subscribe('/topic/cadre.events', headers, 'the subscription to cadre.events')
    print(f'subscribed to cadre.events selector={selector(args)!r} durable={args.durable}', file=sys.stderr,
          flush=True)
    deadline = time.monotonic() + args.seconds if args.seconds else None
    while not args.subscribe_only and (frame := session.next_message(deadline)) is not None:
        print(frame.body, flush=True)
        session.ack(frame)
        if args.until_terminal and frame.headers.get('state') in TERMINAL_STATES:
            break
    # DISCONNECT keeps a durable subscription; UNSUBSCRIBE with its name would delete it.
    session.close()


if __name__ == '__main__':
    main()
