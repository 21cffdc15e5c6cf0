"""A STOMP 1.2 connection (python3-stomp 8) that waits for the broker's receipt after every SUBSCRIBE and SEND.

Without a receipt a STOMP client never learns that the broker refused a frame: the broker answers with an
ERROR frame and closes the connection, and the client carries on as if all were well.
"""
import collections
import threading
import time
import uuid

import stomp

from client_options import fail, host_and_port


# How often the client sends a heart-beat, in ms. The broker closes a connection it has heard nothing from for
# 60 s (docs/protocol.md 11.3); a watcher that only reads would lose its subscription after a minute without them.
HEART_BEAT_MS = 20000


class ConfirmedStomp(stomp.ConnectionListener):
    def __init__(self, url, user, password, timeout, client_id=None, heart_beat_ms=HEART_BEAT_MS, ca_certs=None):
        self.timeout = timeout
        self.changed = threading.Condition()
        self.receipts = set()
        self.messages = collections.deque()
        self.error = None
        # heart-beat:N,N - the client sends one every N ms, so the broker allows 2 x N ms of silence instead of its
        # 60 s; and the broker sends one every N ms, so stomp.py notices a broker gone silent.
        host = host_and_port(url, 'stomp', 61613)
        self.connection = stomp.Connection12([host], reconnect_attempts_max=1,
                                             timeout=timeout, heartbeats=(heart_beat_ms, heart_beat_ms))
        if url.startswith('stomp+ssl://'):
            # stomp.py then requires the peer to show a certificate signed by ca_certs (the head's own) and does
            # not check its name.
            self.connection.set_ssl(for_hosts=[host], ca_certs=ca_certs)
        self.connection.set_listener('cadre', self)
        # client-id names the connection; a durable subscription is found again by client-id and name.
        headers = {'client-id': client_id} if client_id else {}
        try:
            self.connection.connect(user, password, wait=True, headers=headers)
        except stomp.exception.StompException as e:
            fail(f'cannot connect to {url}: {self.error or type(e).__name__}')
        # stomp.py keeps the connect timeout as the socket's read timeout, which would end a quiet watch after
        # `timeout` seconds; the broker's heart-beats now tell whether the connection is alive.
        self.connection.transport.socket.settimeout(None)

    def on_receipt(self, frame):
        with self.changed:
            self.receipts.add(frame.headers.get('receipt-id'))
            self.changed.notify_all()

    def on_error(self, frame):
        with self.changed:
            self.error = frame.headers.get('message') or frame.body or 'ERROR frame'
            self.changed.notify_all()

    def on_message(self, frame):
        with self.changed:
            self.messages.append(frame)
            self.changed.notify_all()

    def on_disconnected(self):
        with self.changed:
            self.error = self.error or 'the broker closed the connection'
            self.changed.notify_all()

    def subscribe(self, destination, headers, what):
        self.confirmed(what, lambda receipt: self.connection.subscribe(
            destination, id=str(uuid.uuid4()), ack=headers.pop('ack', 'auto'), headers=dict(headers, receipt=receipt)))

    def send(self, destination, body, headers, what):
        self.confirmed(what, lambda receipt: self.connection.send(destination, body,
                                                                  headers=dict(headers, receipt=receipt)))

    def confirmed(self, what, action):
        """Runs action(receipt) and waits for the receipt; an ERROR frame or a timeout ends the program."""
        receipt = str(uuid.uuid4())
        try:
            action(receipt)
        except stomp.exception.StompException as e:
            fail(f'{what} failed: {self.error or type(e).__name__}')
        deadline = time.monotonic() + self.timeout
        with self.changed:
            while receipt not in self.receipts:
                if self.error:
                    fail(f'the broker refused {what}: {self.error}')
                if not self.changed.wait(deadline - time.monotonic()):
                    fail(f'no receipt for {what} within {self.timeout:g} s')

    def next_message(self, deadline=None):
        """The next MESSAGE frame, or None at the deadline (time.monotonic() seconds); an ERROR ends the program."""
        with self.changed:
            while not self.messages:
                if self.error:
                    fail(self.error)
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0 or not self.changed.wait(wait):
                    return None
            return self.messages.popleft()

    def ack(self, frame):
        self.connection.ack(frame.headers['ack'])

    def close(self):
        with self.changed:
            self.error = None
        self.connection.disconnect()
