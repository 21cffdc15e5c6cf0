package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GPU types on the wire: a node's (node-heartbeat's {@code gpuTypes}), a job's ({@code spec.gpuType}) and an
 * allocation's ({@code gpuTypes} of a node's slots). Each survives the codec, messages without them decode as
 * before, and malformed ones are refused naming the field.
 */
class GpuTypesTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    private static RunnerEvent.NodeHeartbeat heartbeat(int gpus, Map<String, List<Integer>> types) {
        return new RunnerEvent.NodeHeartbeat("n1-0000abcd", "n1", List.of(), 8, 1024, gpus, List.of(), T, List.of(),
                types);
    }

    private static Map<String, List<Integer>> types(Object... typeIndexes) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < typeIndexes.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Integer> indexes = (List<Integer>) typeIndexes[i + 1];
            out.put((String) typeIndexes[i], indexes);
        }
        return out;
    }

    @Test
    void aNodesTypesSurviveTheCodecInTheirOrderAndAHeartbeatWithoutThemHasNone() throws Exception {
        RunnerEvent.NodeHeartbeat typed = heartbeat(3, types("v100", List.of(2), "a100", List.of(0, 1)));
        RunnerEvent.NodeHeartbeat decoded = (RunnerEvent.NodeHeartbeat) MessageCodec.decode(MessageCodec.encode(typed));
        assertEquals(typed, decoded);
        assertEquals(List.of("v100", "a100"), List.copyOf(decoded.gpuTypes().keySet()));
        assertNull(typed.problem());
        RunnerEvent.NodeHeartbeat old = (RunnerEvent.NodeHeartbeat) MessageCodec.decode("{\"version\": 1, \"type\":"
                + " \"node-heartbeat\", \"nodeId\": \"n1-0000abcd\", \"hostname\": \"n1\", \"cores\": 8, \"memoryMb\":"
                + " 1024, \"gpus\": 2, \"time\": \"2026-11-21T10:00:00Z\"}");
        assertNull(old.gpuTypes());
        assertNull(old.problem());
        assertEquals("gpu:a100:2,gpu:v100:1", GpuTypes.gres(types("v100", List.of(2), "a100", List.of(0, 1)), 3),
                "Slurm's Gres=, in the order of the types' lowest indexes");
        assertEquals("gpu:2", GpuTypes.gres(null, 2));
        assertNull(GpuTypes.gres(null, 0));
    }

    @Test
    void malformedNodeTypesAreAProblemNamingTheField() {
        assertEquals("gpuTypes.1x: '1x' is no GPU type: a letter, then up to 63 letters, digits or _ . + -",
                heartbeat(1, types("1x", List.of(0))).problem());
        assertEquals("gpuTypes.a100 names no GPU index", heartbeat(0, types("a100", List.of())).problem());
        assertEquals("gpuTypes.a100[1] is -1, which is no GPU index from 0 to 1023",
                heartbeat(2, types("a100", List.of(0, -1))).problem());
        assertEquals("gpuTypes names a GPU index under two types",
                heartbeat(2, types("a100", List.of(0), "v100", List.of(0))).problem());
        assertEquals("gpuTypes names 2 GPUs, and the node has 3", heartbeat(3, types("a100", List.of(0, 1))).problem());
    }

    @Test
    void aJobsTypeIsCheckedAndNeedsGpus() throws Exception {
        JobSpec.Builder job = JobSpec.builder().name("j").user("u").workDir("/tmp").script("#!/bin/sh\n");
        JobSpec typed = job.gpusPerTask(1).gpuType("a100").build();
        assertEquals(List.of(), JobSpecValidator.validate(typed));
        assertEquals("a100", ((ClientRequest.SubmitJob) MessageCodec.decode(MessageCodec.encode(
                new ClientRequest.SubmitJob(null, typed)))).spec().gpuType());
        assertEquals(List.of(new JobSpecValidator.Problem("spec.gpuType", "'a 100' is no GPU type: a letter, then up"
                + " to 63 letters, digits or _ . + -")), JobSpecValidator.validate(job.gpuType("a 100").build()));
        assertEquals(List.of(new JobSpecValidator.Problem("spec.gpuType", "names a GPU type, but the job asks for no"
                + " GPUs (gpusPerTask)")), JobSpecValidator.validate(job.gpusPerTask(0).gpuType("a100").build()));
    }

    @Test
    void anAllocationsTypesSurviveTheCodecAndOneWithoutThemSaysNothingOfThem() throws Exception {
        Allocation.NodeSlots typed = new Allocation.NodeSlots("n1", "h1", 1, 1, 2, 0, Map.of("a100", 2));
        assertEquals(typed, MessageCodec.mapper().readValue(MessageCodec.encodeValue(typed),
                Allocation.NodeSlots.class));
        Allocation.NodeSlots plain = new Allocation.NodeSlots("n1", "h1", 1, 1, 2, 0);
        assertEquals("{\"nodeId\":\"n1\",\"hostname\":\"h1\",\"tasks\":1,\"cpus\":1,\"gpus\":2,\"memoryMb\":0}",
                MessageCodec.encodeValue(plain), "as a head from before types sent it");
        assertNull(MessageCodec.mapper().readValue("{\"nodeId\":\"n1\",\"hostname\":\"h1\",\"tasks\":1,\"cpus\":1,"
                + "\"gpus\":2,\"memoryMb\":0}", Allocation.NodeSlots.class).gpuTypes());
    }
}
