#!/usr/bin/python3
"""Prints Cadre's job events (cadre.events) over STOMP 1.2, one JSON object a line.

    /usr/bin/python3 examples/stomp_watch.py --config ~/.cadre/client.json --job 42 --until-terminal
    /usr/bin/python3 examples/stomp_watch.py --config ~/.cadre/client.json --job-user alice --durable alice-jobs

Needs python3-stomp. It sends a heart-beat every --heart-beat-ms (20000 by default, under the broker's 60 s
connection limit), so that a quiet hour without events does not cost it its connection and subscription.
The selector header narrows the events on the broker. With --durable NAME the
subscription outlives the connection (client-id on CONNECT, durable-subscription-name on SUBSCRIBE):
the broker keeps what arrives while you are away and delivers it when you come back with the same
--client-id, NAME and selector. Each event is acknowledged only after it is printed.
"""
import sys
import time

from client_options import TERMINAL_STATES, add_watch_options, client_id, parse_options, selector, tls_certificate
from stomp_session import HEART_BEAT_MS, ConfirmedStomp


def heart_beat_ms(text):
    value = int(text)
    if not 1000 <= value < 60000:
        raise ValueError(text)
    return value


def add_heart_beat_option(parser):
    parser.add_argument('--heart-beat-ms', type=heart_beat_ms, default=HEART_BEAT_MS, metavar='MS',
                        help='send a heart-beat every MS milliseconds, from 1000 to 59999 (default %(default)s): '
                             'the broker closes a connection silent for 60 s, or for twice MS')


def main():
    args, url, user, password = parse_options('Watch job events over STOMP.', 'stompUrl', 'stomp://127.0.0.1:61613',
                                              add_watch_options, add_heart_beat_option)
    session = ConfirmedStomp(url, user, password, args.timeout, client_id(args) if args.durable else None,
                             args.heart_beat_ms, tls_certificate(args, url))
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
