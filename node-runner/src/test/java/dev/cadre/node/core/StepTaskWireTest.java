package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step's task on its way to its node: srun's version-4 request to the relay, the exec request the relay makes of
 * it, and the node's check of it, which refuses a malformed task naming the field.
 */
class StepTaskWireTest {
    private static final String TOKEN = "a".repeat(64);
    private static final NodeCommand.PlaceJob PLACE = new NodeCommand.PlaceJob(7, 1,
            JobSpec.builder().name("step").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").build(),
            new Allocation(List.of(new Allocation.NodeSlots("n1", "alpha", 4, 4, 0, 0))), TOKEN);
    private static final ExecMessage.StepTask TASK = new ExecMessage.StepTask(1, 4, 5, 2, "block",
            "verbose,map_cpu:0,1", "per_task:1");

    private static RelayWire.Request read(byte[] wire) throws IOException {
        return RelayRequestReader.read(new ByteArrayInputStream(wire));
    }

    @Test
    void aTasksRequestIsVersionFourAndReadsBackWithItsTask() throws Exception {
        var request = new RelayWire.Request("7", "1", TOKEN, "alpha=n1", List.of("alpha", "hostname"))
                .withTask(TASK);
        String wire = new String(request.encode(), StandardCharsets.UTF_8);
        assertTrue(wire.startsWith("11:cadre-rsh/4,"), wire);
        assertTrue(wire.contains(",0:,1:0,1:1,1:4,1:5,1:2,5:block,19:verbose,map_cpu:0,1,10:per_task:1,1:2,5:alpha,"),
                wire);
        RelayWire.Request back = read(request.encode());
        assertEquals(request, back);
        ExecMessage.ExecRequest exec = ExecTarget.resolve(back, "r1").request();
        assertEquals(TASK, exec.task());
        assertEquals(exec, MessageCodec.decode(MessageCodec.encode(exec)));
        var resumed = read(back.resuming("7.1.x").encode());
        assertEquals(TASK, resumed.task());
        var withInput = new RelayWire.Request("7", "1", TOKEN, "alpha=n1", List.of("alpha", "cat")).withInput(true)
                .withTask(new ExecMessage.StepTask(0, 1, 0, null, null, null, null));
        assertEquals(withInput, read(withInput.encode()));
        assertTrue(read(withInput.encode()).sendsInput());
    }

    @Test
    void theVersionFourExampleInTheProtocolSpecReads() throws IOException {
        String example = Files.readAllLines(Path.of("..", "docs", "protocol.md")).stream()
                .filter(l -> l.startsWith("11:cadre-rsh/4,")).findFirst().orElseThrow();
        RelayWire.Request r = read(example.getBytes(StandardCharsets.UTF_8));
        assertEquals(new ExecMessage.StepTask(1, 2, 1, null, null, "verbose", "per_task:1"), r.task());
        assertEquals(example, new String(r.encode(), StandardCharsets.UTF_8));
    }

    @Test
    void aTaskNumberThatIsNoNumberIsABadRequestNamingIt() {
        String wire = "11:cadre-rsh/4,1:7,1:1,1:t,0:,0:,1:0,1:x,1:4,1:1,0:,0:,0:,0:,0:,1:1,5:alpha,";
        assertEquals("the task's localId 'x' is not a number", assertThrows(RelayWire.BadRequest.class,
                () -> read(wire.getBytes(StandardCharsets.UTF_8))).getMessage());
    }

    @Test
    void anOldRequestHasNoTask() throws Exception {
        var old = new RelayWire.Request("7", "1", TOKEN, "alpha=n1", List.of("alpha", "true"), "", false);
        assertNull(read(old.encode()).task());
        var exec = (ExecMessage.ExecRequest) MessageCodec.decode("""
                {"version": 1, "type": "exec-request", "requestId": "r", "jobId": 7, "attempt": 1, "token": "t",
                 "command": "true"}""");
        assertNull(exec.task());
    }

    private static String refusal(ExecMessage.StepTask task) {
        var request = new ExecMessage.ExecRequest("r1", 7, 1, TOKEN, "true", null, task);
        return assertInstanceOf(ExecAdmission.Refuse.class, ExecAdmission.decide(request, PLACE, false, "n1"))
                .reason();
    }

    @Test
    void theNodeRefusesAMalformedTaskNamingTheField() {
        assertInstanceOf(ExecAdmission.Run.class, ExecAdmission.decide(new ExecMessage.ExecRequest("r1", 7, 1, TOKEN,
                "true", null, TASK), PLACE, false, "n1"));
        assertEquals("the request's task.tasksOnNode is null; it is 1-100000",
                refusal(new ExecMessage.StepTask(0, null, 0, null, null, null, null)));
        assertEquals("the request's task.localId is 4; it is 0-3, below task.tasksOnNode",
                refusal(new ExecMessage.StepTask(4, 4, 0, null, null, null, null)));
        assertEquals("the request's task.globalId is -1; it is 0 or more",
                refusal(new ExecMessage.StepTask(0, 4, -1, null, null, null, null)));
        assertEquals("the request's task.cpusPerTask is 0; it is 1-100000",
                refusal(new ExecMessage.StepTask(0, 4, 0, 0, null, null, null)));
        assertEquals("the request's task.distribution is 'plane'; it is one of [block, cyclic, fcyclic]",
                refusal(new ExecMessage.StepTask(0, 4, 0, null, "plane", null, null)));
        assertEquals("the request's task.cpuBind is malformed: unrecognized --cpu-bind argument \"numa\"",
                refusal(new ExecMessage.StepTask(0, 4, 0, null, null, "numa", null)));
        assertEquals("the request's task.gpuBind is malformed: '0' in --gpu-bind=per_task:0 is no count (1-4096)",
                refusal(new ExecMessage.StepTask(0, 4, 0, null, null, null, "per_task:0")));
    }
}
