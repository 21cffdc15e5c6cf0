package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A node's side of remote exec ({@link NodeRunner}): the relay its jobs' agents reach other nodes through, on a
 * connection of its own as the exec account (the node account may not send to other nodes); the exec service that
 * runs the commands other nodes' agents ask for here; and the watch on those commands' memory.
 */
final class NodeExec implements AutoCloseable {
    private final Connection connection;
    private final ExecRelay relay;
    private final ExecService service;
    private final CommandMemoryWatch memory;
    private final AgentFailures failures;
    private final ExecRecords records;

    private NodeExec(Connection connection, ExecRelay relay, ExecService service, CommandMemoryWatch memory,
            AgentFailures failures, ExecRecords records) {
        this.connection = connection;
        this.relay = relay;
        this.service = service;
        this.memory = memory;
        this.failures = failures;
        this.records = records;
    }

    /**
     * @param nodeConnection the runner's own, on which the exec service takes its requests
     * @param cgroups the node's cgroups; null where it tracks processes by session
     * @param formerCgroups where an earlier runner kept its cgroups, for one that tracks by session; else null
     * @param nodeProblems where a fault of the node's own that ends an attempt is reported
     */
    static NodeExec open(Connection nodeConnection, String nodeId, NodeRunner.Settings settings,
            AttemptCgroups cgroups, AttemptCgroups formerCgroups, Consumer<RunnerEvent> nodeProblems)
            throws JMSException, IOException {
        var access = settings.remoteExec().access();
        Connection connection = BrokerConnections.open(access.brokerUrl(), new Credentials(access.user(),
                access.password()), "exec-relay " + nodeId);
        try {
            ExecRecords records = new ExecRecords(settings.runtime().exec());
            HeldAttempts held = new HeldAttempts(nodeId, records);
            AgentFailures failures = new AgentFailures(held);
            ExecRelay relay = ExecRelay.start(settings.stateDir(), new ExecClient(connection), failures);
            ExecService service = new ExecService(nodeConnection, connection, nodeId, relay.socket(), held, records,
                    cgroups, formerCgroups, nodeProblems, ExecService.SILENCE_LIMIT);
            return new NodeExec(connection, relay, service, new CommandMemoryWatch(nodeId, held, service.sessions(),
                    settings.memoryChecks()), failures, records);
        } catch (JMSException | IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    ExecRelay relay() {
        return relay;
    }

    ExecService service() {
        return service;
    }

    AgentFailures failures() {
        return failures;
    }

    /** Whether the stop leaves the command's cgroup for the next start ({@link ExecRecords#leavesForNextStart}). */
    boolean leavesForNextStart(ProcessTracking.GroupName command) {
        return records.leavesForNextStart(command);
    }

    /** The broker did not answer a stop: the relay's connection is given up under it. */
    void abandon() {
        BrokerConnections.abandon(connection);
    }

    @Override
    public void close() throws Exception {
        memory.close();
        service.close();
        relay.close();
        connection.close();
    }
}
