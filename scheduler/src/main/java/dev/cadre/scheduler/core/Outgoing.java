package dev.cadre.scheduler.core;

import dev.cadre.protocol.Message;

/** A message the core decided to send, to a broker address. */
public record Outgoing(String destination, Message message) {
}
