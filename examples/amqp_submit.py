#!/usr/bin/python3
"""Submits one job to Cadre over AMQP 1.0 and prints the reply.

    /usr/bin/python3 examples/amqp_submit.py --config ~/.cadre/client.json --command 'echo hi'

Needs python3-qpid-proton (Debian package). Exit code: 0 job-accepted, 2 job-rejected, 1 anything else.
The reply comes to a dynamic (broker-named, temporary) receiver, matched by its correlation id.
"""
from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container

from client_options import (add_job_options, fail, finish_with_reply, parse_options, submit_job_body,
                            trust_head_certificate)


class Submission(MessagingHandler):
    def __init__(self, url, user, password, body, correlation_id, timeout):
        super().__init__()
        self.url, self.user, self.password = url, user, password
        self.body, self.correlation_id, self.timeout = body, correlation_id, timeout
        self.reply = None
        self.error = None

    def on_start(self, event):
        conn = event.container.connect(self.url, user=self.user, password=self.password,
                                       allowed_mechs='PLAIN', reconnect=False)
        self.sender = event.container.create_sender(conn, 'cadre.submit')
        self.receiver = event.container.create_receiver(conn, None, dynamic=True)
        self.timer = event.container.schedule(self.timeout, self)

    def on_link_opened(self, event):
        if event.receiver == self.receiver:
            # The broker names the dynamic queue; only now is there an address to reply to.
            self.sender.send(Message(body=self.body, durable=True, content_type='application/json',
                                     reply_to=event.receiver.remote_source.address,
                                     correlation_id=self.correlation_id))

    def on_rejected(self, event):
        self.stop(event, f'the broker refused the message: {event.delivery.remote.condition}')

    def on_message(self, event):
        if event.message.correlation_id == self.correlation_id:
            self.reply = event.message.body
            self.stop(event, None)

    def on_timer_task(self, event):
        self.error = f'no reply within {self.timeout:g} s'
        event.container.stop()

    def on_link_error(self, event):
        self.stop(event, f'link refused: {event.link.remote_condition}')

    def on_transport_error(self, event):
        self.error = self.error or f'connection failed: {event.transport.condition}'
        event.container.stop()

    def stop(self, event, error):
        self.error = error
        self.timer.cancel()
        event.connection.close()


def main():
    args, url, user, password = parse_options('Submit a job over AMQP 1.0.', 'amqpUrl', 'amqp://127.0.0.1:5672',
                                              add_job_options)
    submission = Submission(url, user, password, submit_job_body(args), args.correlation_id, args.timeout)
    container = Container(submission)
    trust_head_certificate(container, args, url)
    container.run()
    if submission.reply is None:
        fail(submission.error or 'no reply')
    finish_with_reply(submission.reply)


if __name__ == '__main__':
    main()
