#!/usr/bin/python3
"""Prints Cadre's job events (cadre.events) over AMQP 1.0, one JSON object a line.

    /usr/bin/python3 examples/amqp_watch.py --config ~/.cadre/client.json --job 42 --until-terminal
    /usr/bin/python3 examples/amqp_watch.py --config ~/.cadre/client.json --job-user alice --durable alice-jobs

Needs python3-qpid-proton. A selector narrows the events on the broker. With --durable NAME the
subscription outlives the connection: the broker keeps what arrives while you are away and delivers it
when you come back with the same --client-id (container id), NAME (link name) and selector.
"""
import sys

from proton.handlers import MessagingHandler
from proton.reactor import Container, DurableSubscription, Selector

from client_options import (TERMINAL_STATES, add_watch_options, client_id, fail, parse_options, selector,
                            trust_head_certificate)


class Watch(MessagingHandler):
    def __init__(self, args, url, user, password):
        # Accepted by hand after printing, and before a detach: an event is settled only once it is shown.
        super().__init__(auto_accept=False)
        self.args, self.url, self.user, self.password = args, url, user, password
        self.error = None
        self.subscribed = False

    def on_start(self, event):
        conn = event.container.connect(self.url, user=self.user, password=self.password,
                                       allowed_mechs='PLAIN', reconnect=False)
        options = [Selector(selector(self.args))] if selector(self.args) else []
        if self.args.durable:
            # Terminus durability and expiry 'never': the broker keeps a queue named after container and link.
            options.append(DurableSubscription())
        self.receiver = event.container.create_receiver(conn, 'cadre.events', name=self.args.durable,
                                                        options=options)
        self.deadline = event.container.schedule(self.args.timeout, self)

    def on_link_opened(self, event):
        if not event.link.remote_source.address:
            return  # a refusal: the broker attaches without a source, then detaches with the error
        self.subscribed = True
        self.deadline.cancel()
        print(f'subscribed to cadre.events selector={selector(self.args)!r} durable={self.args.durable}',
              file=sys.stderr, flush=True)
        if self.args.subscribe_only:
            self.leave(event)
        elif self.args.seconds:
            self.deadline = event.container.schedule(self.args.seconds, self)

    def on_message(self, event):
        print(event.message.body, flush=True)
        self.accept(event.delivery)
        if self.args.until_terminal and event.message.properties.get('state') in TERMINAL_STATES:
            self.leave(event)

    def on_timer_task(self, event):
        if self.subscribed:
            self.leave(event)
        else:
            self.error = f'not subscribed within {self.args.timeout:g} s'
            event.container.stop()

    def on_link_error(self, event):
        self.error = f'subscription refused: {event.link.remote_condition}'
        self.deadline.cancel()
        event.container.stop()

    def on_transport_error(self, event):
        self.error = self.error or f'connection failed: {event.transport.condition}'
        event.container.stop()

    def leave(self, event):
        # Detach, not close: closing a durable link would ask the broker to delete the subscription.
        self.receiver.detach()
        self.deadline.cancel()
        self.receiver.connection.close()


def main():
    args, url, user, password = parse_options('Watch job events over AMQP 1.0.', 'amqpUrl', 'amqp://127.0.0.1:5672',
                                              add_watch_options)
    watch = Watch(args, url, user, password)
    container = Container(watch)
    trust_head_certificate(container, args, url)
    if args.durable:
        container.container_id = client_id(args)
    container.run()
    if watch.error:
        fail(watch.error)


if __name__ == '__main__':
    main()
