package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.OutputPaths;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each coordinated attempt writes its output, in the state directory's records.db. */
class OutputRecordsTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path state;

    static NodeCommand.PlaceJob placed(long jobId, int attempt, Path workDir, String stdout, String stderr) {
        JobSpec spec = JobSpec.builder().name("t").user("alice").script("#!/bin/sh\ntrue\n")
                .workDir(workDir.toString()).stdout(stdout).stderr(stderr).build();
        return new NodeCommand.PlaceJob(jobId, attempt, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    @Test
    void findsWhereAnAttemptWritesAndTheLastOfARepeatedPlaceJob() throws IOException {
        try (OutputRecords outputs = new OutputRecords(state)) {
            outputs.rememberAll(List.of(placed(3, 1, state, null, null)));
            outputs.rememberAll(List.of(placed(3, 2, state, "a-%j.out", "a-%j.err")));
            assertEquals(Optional.of(new OutputPaths(state.resolve("slurm-3.out"), null)), outputs.find(3, 1));
            assertEquals(Optional.of(new OutputPaths(state.resolve("a-3.out"), state.resolve("a-3.err"))),
                    outputs.find(3, 2));
            outputs.rememberAll(List.of(placed(3, 1, state, "b.out", null)));
            assertEquals(Optional.of(new OutputPaths(state.resolve("b.out"), null)), outputs.find(3, 1));
            assertEquals(Optional.empty(), outputs.find(4, 1));
        }
        try (OutputRecords reopened = new OutputRecords(state)) {
            assertEquals(Optional.of(new OutputPaths(state.resolve("b.out"), null)), reopened.find(3, 1));
        }
    }

    @Test
    void aBurstOfPlacementsIsRecordedInOneTransactionAllOrNone() throws IOException {
        try (OutputRecords outputs = new OutputRecords(state)) {
            outputs.rememberAll(List.of(placed(5, 1, state, null, null), placed(6, 1, state, "x-%j.out", null),
                    placed(7, 2, state, null, "e.err")));
            assertEquals(Optional.of(new OutputPaths(state.resolve("x-6.out"), null)), outputs.find(6, 1));
            assertEquals(Optional.of(new OutputPaths(state.resolve("slurm-7.out"), state.resolve("e.err"))),
                    outputs.find(7, 2));
            assertTrue(outputs.find(5, 1).isPresent());
        }
        AttemptRecordStore.Kind kind = new AttemptRecordStore.Kind("burst_test", "burst", Duration.ofDays(1),
                "test records");
        try (AttemptRecordStore store = AttemptRecordStore.open(state, kind, Clock.systemUTC(), text -> { })) {
            // The second cannot be stored (body is NOT NULL): the first must not be either.
            var e = assertThrows(IOException.class, () -> store.putAll(List.of(
                    new AttemptRecordStore.Entry(8, 1, "kept?"), new AttemptRecordStore.Entry(9, 1, null))));
            assertTrue(e.getMessage().contains("2 attempts (job 8 attempt 1 first)"), e.getMessage());
            assertEquals(Optional.empty(), store.find(8, 1));
            store.putAll(List.of(new AttemptRecordStore.Entry(8, 1, "stored")));
            assertEquals(Optional.of("stored"), store.find(8, 1));
        }
    }

    @Test
    void sharesTheFileWithTheOutcomesButNotTheirKeys() throws IOException {
        try (OutputRecords outputs = new OutputRecords(state); EndedAttempts ended = new EndedAttempts(state)) {
            outputs.rememberAll(List.of(placed(1, 1, state, null, null)));
            assertEquals(Optional.empty(), ended.find(1, 1));
            ended.record(2, 1, new RunnerEvent.RunnerFailed(2, 1, "n1", "no", T0));
            assertEquals(Optional.empty(), outputs.find(2, 1));
        }
        try (var files = Files.list(state)) {
            assertEquals(List.of(AttemptRecordStore.FILE), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith("-wal") && !n.endsWith("-shm")).toList());
        }
    }

    @Test
    void prunesRecordsOlderThanTheRetention() throws IOException {
        try (OutputRecords old = new OutputRecords(state, Clock.fixed(T0, ZoneOffset.UTC))) {
            old.rememberAll(List.of(placed(1, 1, state, null, null)));
        }
        try (OutputRecords outputs = new OutputRecords(state, Clock.fixed(T0.plus(Duration.ofDays(29)),
                ZoneOffset.UTC))) {
            outputs.rememberAll(List.of(placed(2, 1, state, null, null)));
            outputs.pruneExpired(T0.plus(OutputRecords.RETENTION).plusMillis(1));
            assertEquals(Optional.empty(), outputs.find(1, 1));
            assertTrue(outputs.find(2, 1).isPresent());
        }
    }

    @Test
    void importsTheFilesOfAnOlderRunnerWithTheirTimesThenRemovesThem() throws IOException {
        Path dir = Files.createDirectories(state.resolve("outputs"));
        Files.writeString(dir.resolve("11-1.json"), "{\"stdout\":\"/w/slurm-11.out\",\"stderr\":null}");
        Files.writeString(dir.resolve("12-2.json"), "{\"stdout\":\"/w/o\",\"stderr\":\"/w/e\"}");
        Files.setLastModifiedTime(dir.resolve("12-2.json"), FileTime.from(
                Instant.now().minus(OutputRecords.RETENTION).minus(Duration.ofDays(1))));
        try (OutputRecords outputs = new OutputRecords(state)) {
            assertEquals(Optional.of(new OutputPaths(Path.of("/w/slurm-11.out"), null)), outputs.find(11, 1));
            assertEquals(Optional.of(new OutputPaths(Path.of("/w/o"), Path.of("/w/e"))), outputs.find(12, 2));
            outputs.pruneExpired(Instant.now());
            assertEquals(Optional.empty(), outputs.find(12, 2));
            assertTrue(outputs.find(11, 1).isPresent());
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void importsMoreFilesThanOneTransactionTakes() throws IOException {
        Path dir = Files.createDirectories(state.resolve("outputs"));
        int files = AttemptRecordStore.BATCH * 2 + 1;
        for (int i = 1; i <= files; i++) {
            Files.writeString(dir.resolve(i + "-1.json"), "{\"stdout\":\"/w/" + i + "\",\"stderr\":null}");
        }
        try (OutputRecords outputs = new OutputRecords(state)) {
            for (int i = 1; i <= files; i++) {
                assertEquals(Optional.of(new OutputPaths(Path.of("/w/" + i), null)), outputs.find(i, 1));
            }
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void leavesOldFilesThatAreNoOutputRecords() throws IOException {
        Path dir = Files.createDirectories(state.resolve("outputs"));
        Files.writeString(dir.resolve("13-1.json"), "{\"stderr\":\"/w/e\"}");
        Files.writeString(dir.resolve("13-2.json"), "[]");
        try (OutputRecords outputs = new OutputRecords(state)) {
            assertEquals(Optional.empty(), outputs.find(13, 1));
            assertEquals(Optional.empty(), outputs.find(13, 2));
        }
        assertTrue(Files.exists(dir.resolve("13-1.json")));
        assertTrue(Files.exists(dir.resolve("13-2.json")));
    }
}
