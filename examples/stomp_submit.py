#!/usr/bin/python3
"""Submits one job to Cadre over STOMP 1.2 and prints the reply.

    /usr/bin/python3 examples/stomp_submit.py --config ~/.cadre/client.json --command 'echo hi'
    /usr/bin/python3 examples/stomp_submit.py --config ~/.cadre/client.json --command 'echo hi' --no-reply

Needs python3-stomp. Exit code: 0 job-accepted (or, with --no-reply, the broker stored the request),
2 job-rejected, 1 anything else. Artemis' STOMP has no temporary queues, so the reply comes to a
multicast address of our own, cadre.reply.<random>, subscribed to before sending (docs/protocol.md, 11.3).
"""
import sys
import time
import uuid

from client_options import add_job_options, fail, finish_with_reply, parse_options, submit_job_body, tls_certificate
from stomp_session import ConfirmedStomp


def add_no_reply_option(parser):
    parser.add_argument('--no-reply', action='store_true',
                        help='ask for no reply: exit once the broker has stored the request (a rejection '
                             'then goes to cadre.dead-letters)')


def main():
    args, url, user, password = parse_options('Submit a job over STOMP.', 'stompUrl', 'stomp://127.0.0.1:61613',
                                              add_job_options, add_no_reply_option)
    session = ConfirmedStomp(url, user, password, args.timeout, ca_certs=tls_certificate(args, url))
    # persistent:true, or the request is lost if the broker stops before the scheduler has it.
    headers = {'persistent': 'true', 'correlation-id': args.correlation_id, 'content-type': 'application/json'}
    if not args.no_reply:
        address = f'cadre.reply.{uuid.uuid4()}'
        session.subscribe(f'/topic/{address}', {}, f'the reply subscription on {address}')
        # The scheduler reads reply-to as a JMS destination name, in which a bare name is multicast. The bare name
        # needs no escaping in any STOMP version (a ':' in topic://NAME must be sent as \c in 1.1 and 1.2).
        headers['reply-to'] = address
    # The anycast prefix matters: a bare cadre.submit would be taken as multicast and refused.
    session.send('/queue/cadre.submit', submit_job_body(args), headers, 'the submission')
    if args.no_reply:
        print(f'the broker stored submission {args.submission_id} (correlation id {args.correlation_id})',
              file=sys.stderr)
        session.close()
        return
    deadline = time.monotonic() + args.timeout
    while (frame := session.next_message(deadline)) is not None:
        if frame.headers.get('correlation-id') == args.correlation_id:
            session.close()
            finish_with_reply(frame.body)
    fail(f'no reply within {args.timeout:g} s')


if __name__ == '__main__':
    main()
