"""Command-line options shared by the Python examples: where the broker is, and which job to submit.

Connection details come from the client file `cadre up` writes (--config client.json, or $CADRE_CONFIG);
--url, --user and --password override it. A head started with --client-tls writes amqps:// and stomp+ssl://
URLs and its certificate (headCertificate): the programs then trust that certificate alone, or --ca-cert FILE.
Exit codes of every example: 0 success, 2 the request was rejected, 1 anything else (usage, connection, timeout).
"""
import argparse
import atexit
import getpass
import json
import os
import sys
import tempfile
import uuid

TERMINAL_STATES = {'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'DEADLINE'}


class ExampleArgumentParser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, which the examples reserve for a rejected request."""

    def error(self, message):
        self.print_usage(sys.stderr)
        fail(f'{self.prog}: {message}')


def fail(message):
    print(message, file=sys.stderr, flush=True)
    sys.exit(1)


def parse_options(description, url_key, url_example, *add_options):
    """The parsed flags and the (url, user, password) they and the client file give."""
    parser = ExampleArgumentParser(description=description)
    add_connection_options(parser, url_key, url_example)
    for add in add_options:
        add(parser)
    args = parser.parse_args()
    return (args, *connection(args, url_key))


def add_connection_options(parser, url_key, url_example):
    parser.add_argument('--config', default=os.environ.get('CADRE_CONFIG'),
                        help='client.json written by cadre up (default: $CADRE_CONFIG)')
    parser.add_argument('--url', help=f'broker URL; default: {url_key} of the client file, e.g. {url_example}')
    parser.add_argument('--user', help='broker user; default: user of the client file')
    parser.add_argument('--password', help='broker password; default: password of the client file')
    parser.add_argument('--timeout', type=float, default=30, help='seconds to wait for the broker (default 30)')
    parser.add_argument('--ca-cert', help='PEM file of the certificate a TLS URL (amqps, stomp+ssl) must show;'
                        ' default: headCertificate of the client file')


def connection(args, url_key):
    """(url, user, password) from the flags, falling back to the client file."""
    settings = {}
    if args.config:
        try:
            with open(args.config, encoding='utf-8') as f:
                settings = json.load(f)
        except (OSError, ValueError) as e:
            fail(f'cannot read the client file {args.config}: {e}')
    args.client_file = settings
    url = args.url or settings.get(url_key)
    user = args.user or settings.get('user')
    password = args.password or settings.get('password')
    if not (url and user and password):
        fail(f'no broker {"URL" if not url else "credentials"}: give --config client.json or --url/--user/--password')
    return url, user, password


def head_certificate_file(args):
    """The PEM file of the only certificate TLS trusts: --ca-cert, else the client file's headCertificate."""
    if args.ca_cert:
        return args.ca_cert
    pem = args.client_file.get('headCertificate')
    if not pem:
        fail('a TLS URL needs the head\'s certificate: give --ca-cert FILE, or a client file with headCertificate')
    fd, path = tempfile.mkstemp(prefix='cadre-head-', suffix='.pem')
    with os.fdopen(fd, 'w', encoding='ascii') as f:
        f.write(pem)
    atexit.register(os.unlink, path)
    return path


def tls_certificate(args, url):
    """For a TLS URL (amqps://, stomp+ssl://) the PEM file of the certificate to trust; None for a plain one."""
    return head_certificate_file(args) if url.startswith(('amqps://', 'stomp+ssl://')) else None


def trust_head_certificate(container, args, url):
    """For amqps://, the container's TLS trusts the head's certificate alone; its name is not checked: it is pinned."""
    path = tls_certificate(args, url)
    if path:
        from proton import SSLDomain
        container.ssl.client.set_trusted_ca_db(path)
        container.ssl.client.set_peer_authentication(SSLDomain.VERIFY_PEER, path)


def host_and_port(url, scheme, default_port):
    """'stomp://host:61613' (or stomp+ssl://) -> ('host', 61613)."""
    rest = url.split('://', 1)[1] if url.startswith((scheme + '://', scheme + '+ssl://')) else url
    host, _, port = rest.rstrip('/').rpartition(':')
    return (host, int(port)) if host else (rest, default_port)


def add_job_options(parser):
    parser.add_argument('--name', default='example', help='job name (default: example)')
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument('--script', help='batch script file; its first line must be #!')
    what.add_argument('--command', help="shell command, run as '#!/bin/sh' script")
    parser.add_argument('--job-user', default=getpass.getuser(), help='spec.user (default: you)')
    parser.add_argument('--workdir', default=os.getcwd(), help='working directory (default: here)')
    parser.add_argument('--tasks', type=int, help='spec.tasks')
    parser.add_argument('--submission-id', default=str(uuid.uuid4()),
                        help='your id for this submission; resending it returns the same job (default: random)')
    parser.add_argument('--correlation-id', default=str(uuid.uuid4()),
                        help='matches the reply to the request (default: random)')


def submit_job_body(args):
    """The submit-job message as JSON text (docs/protocol.md, section 5.1)."""
    if args.script:
        try:
            with open(args.script, encoding='utf-8') as f:
                script = f.read()
        except OSError as e:
            fail(f'cannot read the script {args.script}: {e}')
    else:
        script = f'#!/bin/sh\n{args.command}\n'
    spec = {'name': args.name, 'user': args.job_user, 'script': script, 'workDir': os.path.abspath(args.workdir)}
    if args.tasks is not None:
        spec['tasks'] = args.tasks
    return json.dumps({'version': 1, 'type': 'submit-job', 'submissionId': args.submission_id, 'spec': spec})


def finish_with_reply(body):
    """Prints the reply and exits 0 for job-accepted, 2 for job-rejected."""
    print(body, flush=True)
    try:
        kind = json.loads(body).get('type')
    except ValueError:
        fail('the reply is not JSON')
    sys.exit(0 if kind == 'job-accepted' else 2 if kind == 'job-rejected' else 1)


def add_watch_options(parser):
    which = parser.add_mutually_exclusive_group()
    which.add_argument('--job', type=int, help="only this job's events (selector: jobId = N)")
    which.add_argument('--job-user', help="only this user's jobs (selector: user = 'NAME')")
    which.add_argument('--selector', help="any JMS selector over jobId, user, state, type")
    parser.add_argument('--durable', metavar='NAME', help='durable subscription name: events wait while away')
    parser.add_argument('--client-id', help='client id of the durable subscription (default: cadre-watch-NAME)')
    parser.add_argument('--subscribe-only', action='store_true',
                        help='create the (durable) subscription, then leave at once')
    parser.add_argument('--until-terminal', action='store_true',
                        help='exit after the first event whose state is terminal (COMPLETED, FAILED, ...)')
    parser.add_argument('--seconds', type=float, help='stop after this many seconds (exit 0)')


def selector(args):
    if args.job is not None:
        return f'jobId = {args.job}'
    if args.job_user:
        return "user = '" + args.job_user.replace("'", "''") + "'"
    return args.selector


def client_id(args):
    return args.client_id or f'cadre-watch-{args.durable}'
