package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.ServiceSpec;
import dev.cadre.protocol.ServiceValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options that shape a service's instances mean what they mean to sbatch, units and lists included. */
class ServiceCreateLineTest {
    private static JobSpec template(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--name", "web", "--replicas", "1"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", "sleep", "100"));
        return ServiceCreateLine.parse(args, Map.of()).template();
    }

    @Test
    void memoryTakesSbatchsUnits() throws Exception {
        assertEquals(1024L, template("--mem", "1G").memoryMb());
        assertEquals(4096L, template("--mem=4096M").memoryMb());
        assertEquals(2048L, template("--mem", "2048").memoryMb(), "megabytes by default");
        assertEquals(1L, template("--mem", "100K").memoryMb(), "kilobytes round up");
        assertEquals(8L, template("--mem-per-cpu", "2", "-c", "4").memoryMb(), "per CPU, as sbatch counts it");
        assertEquals(2L, template("--mem-per-cpu", "2", "-c", "4").memoryPerCpuMb(), "kept for --exclusive");
        SlurmUsageException bad = assertThrows(SlurmUsageException.class, () -> template("--mem", "1Q"));
        assertEquals("Invalid --mem specification", bad.getMessage());
    }

    /** The head checks memoryMb against memoryPerCpuMb (JobSpecValidator); every instance shape must pass. */
    @Test
    void perCpuMemoryOfEveryInstanceShapeIsOneTheHeadTakes() throws Exception {
        List<List<String>> shapes = List.of(List.of(), List.of("-c", "4"), List.of("-n", "6", "-N", "4"),
                List.of("-N", "2", "--ntasks-per-node", "3", "-c", "2"), List.of("--exclusive", "-n", "2"),
                List.of("-w", "n[1-3]", "-n", "4"), List.of("-G", "2", "-n", "2", "-c", "5"));
        for (List<String> shape : shapes) {
            List<String> options = new ArrayList<>(List.of("--mem-per-cpu", "1500M"));
            options.addAll(shape);
            List<String> args = new ArrayList<>(List.of("--name", "web", "--replicas", "2"));
            args.addAll(options);
            args.addAll(List.of("--", "sleep", "100"));
            var service = ServiceCreateLine.parse(args, Map.of());
            assertEquals(List.of(), ServiceValidator.validate(service), options + " made " + service.template());
            JobSpec off = service.template().toBuilder().memoryMb(service.template().memoryMb() - 1).build();
            assertEquals("service.template.memoryPerCpuMb", ServiceValidator.validate(new ServiceSpec(service.name(),
                    2, off, null)).get(0).field(), options + " with memoryMb one less");
        }
    }

    @Test
    void timesHostListsNodeRangesAndGpusAreReadAsSbatchReadsThem() throws Exception {
        assertEquals(86_400L, template("-t", "1-0").timeLimitSeconds(), "days-hours");
        assertEquals(90L, template("--time=1:30").timeLimitSeconds(), "minutes:seconds");
        assertEquals(List.of("n1", "n2", "n3", "n5"), template("-w", "n[1-3],n5").nodelist());
        assertEquals(List.of("n7", "n8"), template("-x", "n[7-8]").exclude());
        assertEquals(2, template("-N", "2-4").nodes(), "a node range asks its minimum");
        assertEquals(2, template("--gres", "gpu:2").gpusPerTask(), "one task per node: two GPUs each");
        assertEquals(1, template("--gpus-per-task", "a100:1").gpusPerTask(), "the type is dropped");
        assertEquals(3, template("--ntasks-per-node=3").tasksPerNode());
        assertEquals(true, template("--exclusive").exclusive());
        JobSpec plain = template();
        assertEquals(null, plain.memoryMb());
        assertEquals(null, plain.timeLimitSeconds());
        assertEquals(null, plain.nodelist());
        SlurmUsageException bad = assertThrows(SlurmUsageException.class, () -> template("--time", "soon"));
        assertEquals("Invalid --time specification", bad.getMessage());
    }

    @Test
    void aRelativeDirectoryIsMadeAbsoluteAsSbatchMakesIt() throws Exception {
        String cwd = java.nio.file.Path.of("").toAbsolutePath().toString();
        assertEquals(cwd + "/work", template("-D", "work").workDir());
        assertEquals(java.nio.file.Path.of(cwd).getParent().resolve("logs").toString(),
                template("--chdir=../logs/.").workDir());
        assertEquals("/srv/app", template("-D", "/srv//app/").workDir());
        assertEquals(cwd, template().workDir());
    }
}
