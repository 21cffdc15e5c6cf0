package dev.cadre.protocol;

/** Broker addresses. Anycast queues unless noted. */
public final class Destinations {
    /** Client requests: submit-job, cancel-job. Durable. */
    public static final String SUBMIT = "cadre.submit";
    /** job-state-changed and node-state-changed, multicast: every subscriber gets its own copy. */
    public static final String EVENTS = "cadre.events";
    /** runner-* events and heartbeats from node-runners to the scheduler. Durable. */
    public static final String RUNNER_EVENTS = "cadre.runner.events";
    /** Messages nobody could handle: undeliverable or rejected without a reply-to. */
    public static final String DEAD_LETTERS = "cadre.dead-letters";
    public static final String NODE_PREFIX = "cadre.node.";
    /** A node's exec queue, cadre.exec.&lt;node-id&gt;: exec-request and exec-keepalive from {@code cadre rsh}. */
    public static final String EXEC_PREFIX = "cadre.exec.";
    /**
     * Reply addresses that clients without temporary queues (STOMP) subscribe to and name as reply-to:
     * cadre.reply.&lt;a unique id of the client's&gt;.
     */
    public static final String REPLY_PREFIX = "cadre.reply.";

    private Destinations() {
    }

    public static String execQueue(String nodeId) {
        return EXEC_PREFIX + nodeId;
    }

    /**
     * A node's output queue, cadre.node.&lt;node-id&gt;.output: read-output and read-usage from the head. Under the
     * node's prefix, so the node account may consume it as it consumes its command queue.
     */
    public static String outputQueue(String nodeId) {
        return NODE_PREFIX + nodeId + ".output";
    }

    /** A node-runner's own queue: place-job, kill-job. */
    public static String nodeQueue(String nodeId) {
        return NODE_PREFIX + nodeId;
    }
}
