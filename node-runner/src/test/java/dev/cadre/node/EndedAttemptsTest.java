package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attempt outcomes in the state directory's records.db, on real SQLite files. */
class EndedAttemptsTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path state;

    private static RunnerEvent failed(long jobId, int attempt, String error) {
        return new RunnerEvent.RunnerFailed(jobId, attempt, "n1", error, T0);
    }

    private static RunnerEvent finished(long jobId, int attempt, int exit) {
        return new RunnerEvent.RunnerFinished(jobId, attempt, "n1", exit, 0, null, T0, null);
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Test
    void outcomesRecordedTogetherAreAllFoundAndReplaceEarlierRecords() throws IOException {
        try (EndedAttempts ended = new EndedAttempts(state)) {
            ended.record(7, 1, failed(7, 1, "an earlier report"));
            ended.recordAll(List.of(new EndedAttempts.Outcome(7, 1, finished(7, 1, 0)),
                    new EndedAttempts.Outcome(8, 1, failed(8, 1, "no such directory")),
                    new EndedAttempts.Outcome(9, 2, finished(9, 2, 4))));
            ended.recordAll(List.of());
            assertEquals(Optional.of(finished(7, 1, 0)), ended.find(7, 1));
            assertEquals(Optional.of(failed(8, 1, "no such directory")), ended.find(8, 1));
            assertEquals(Optional.of(finished(9, 2, 4)), ended.find(9, 2));
        }
        try (EndedAttempts reopened = new EndedAttempts(state)) {
            assertEquals(Optional.of(finished(9, 2, 4)), reopened.find(9, 2), "committed, so kept across a restart");
        }
    }

    @Test
    void findsWhatWasRecordedAndTheLastOfARepeatedRecord() throws IOException {
        try (EndedAttempts ended = new EndedAttempts(state)) {
            assertEquals(Optional.empty(), ended.find(7, 1));
            ended.record(7, 1, failed(7, 1, "no such directory"));
            ended.record(7, 2, finished(7, 2, 3));
            assertEquals(Optional.of(failed(7, 1, "no such directory")), ended.find(7, 1));
            ended.record(7, 1, finished(7, 1, 0));
            assertEquals(Optional.of(finished(7, 1, 0)), ended.find(7, 1));
            assertEquals(Optional.of(finished(7, 2, 3)), ended.find(7, 2));
            assertEquals(Optional.empty(), ended.find(8, 1));
        }
        assertTrue(Files.isRegularFile(state.resolve(AttemptRecordStore.FILE)));
        assertFalse(Files.exists(state.resolve("ended")), "no directory of files any more");
    }

    @Test
    void keepsOutcomesOverACloseAndReopen() throws IOException {
        try (EndedAttempts ended = new EndedAttempts(state)) {
            ended.record(1, 1, finished(1, 1, 0));
        }
        try (EndedAttempts reopened = new EndedAttempts(state)) {
            assertEquals(Optional.of(finished(1, 1, 0)), reopened.find(1, 1));
        }
    }

    /** Another JVM records an outcome, says so, and is killed with SIGKILL before it closes anything. */
    @Test
    void keepsAnOutcomeRecordedBeforeTheRunnerWasKilled() throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledWriter.class.getName(), state.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("recorded", out.readLine());
        } finally {
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, writer.exitValue(), "killed by SIGKILL");
        try (EndedAttempts ended = new EndedAttempts(state)) {
            assertEquals(Optional.of(finished(42, 3, 1)), ended.find(42, 3));
        }
    }

    /** The node-runner of {@link #keepsAnOutcomeRecordedBeforeTheRunnerWasKilled}. */
    static final class KilledWriter {
        public static void main(String[] args) throws Exception {
            EndedAttempts ended = new EndedAttempts(Path.of(args[0]));
            ended.record(42, 3, finished(42, 3, 1));
            System.out.println("recorded");
            System.out.flush();
            // Waits to be killed; should the test die first, its end of stdin closes and this returns.
            while (System.in.read() >= 0) {
                continue;
            }
        }
    }

    @Test
    void prunesOutcomesOlderThanTheRetentionByWhenTheyWereWritten() throws IOException {
        try (EndedAttempts old = new EndedAttempts(state, at(T0))) {
            for (int i = 0; i < 2_500; i++) {
                old.record(i, 1, finished(i, 1, 0));
            }
        }
        try (EndedAttempts ended = new EndedAttempts(state, at(T0.plus(Duration.ofDays(6))))) {
            ended.record(9_999, 1, finished(9_999, 1, 0));
            ended.pruneExpired(T0.plus(EndedAttempts.RETENTION));
            assertTrue(ended.find(0, 1).isPresent(), "exactly as old as the retention: kept");
            ended.pruneExpired(T0.plus(EndedAttempts.RETENTION).plusMillis(1));
            assertEquals(Optional.empty(), ended.find(0, 1));
            assertEquals(Optional.empty(), ended.find(2_499, 1), "pruned in batches to the last");
            assertTrue(ended.find(9_999, 1).isPresent());
        }
    }

    @Test
    void importsTheFilesOfAnOlderRunnerWithTheirTimesThenRemovesThem() throws IOException {
        Path dir = Files.createDirectories(state.resolve("ended"));
        Files.writeString(dir.resolve("5-1.json"), MessageCodec.encode(finished(5, 1, 0)));
        Files.writeString(dir.resolve("5-2.json"), MessageCodec.encode(failed(5, 2, "gone")));
        Files.setLastModifiedTime(dir.resolve("5-2.json"), FileTime.from(
                Instant.now().minus(EndedAttempts.RETENTION).minus(Duration.ofDays(1))));
        try (EndedAttempts ended = new EndedAttempts(state)) {
            assertEquals(Optional.of(finished(5, 1, 0)), ended.find(5, 1));
            assertEquals(Optional.of(failed(5, 2, "gone")), ended.find(5, 2));
            ended.pruneExpired(Instant.now());
            assertEquals(Optional.empty(), ended.find(5, 2), "written when its file was last modified");
            assertTrue(ended.find(5, 1).isPresent());
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void leavesOldFilesThatAreNoOutcomesAndStartsAnyway() throws IOException {
        Path dir = Files.createDirectories(state.resolve("ended"));
        Files.writeString(dir.resolve("6-1.json"), MessageCodec.encode(finished(6, 1, 0)));
        Files.writeString(dir.resolve("6-2.json"), "{ not json");
        Files.writeString(dir.resolve("6-3.json.tmp"), MessageCodec.encode(finished(6, 3, 0)));
        Files.write(dir.resolve("6-4.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        Files.createDirectory(dir.resolve("6-5.json"));
        Files.createSymbolicLink(dir.resolve("6-6.json"), dir.resolve("6-1.json"));
        try (EndedAttempts ended = new EndedAttempts(state)) {
            assertTrue(ended.find(6, 1).isPresent());
            for (int attempt = 2; attempt <= 6; attempt++) {
                assertEquals(Optional.empty(), ended.find(6, attempt));
            }
        }
        assertFalse(Files.exists(dir.resolve("6-1.json")));
        try (var left = Files.list(dir)) {
            assertEquals(List.of("6-2.json", "6-3.json.tmp", "6-4.json", "6-5.json", "6-6.json"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void anImportRepeatedAfterACrashKeepsWhatWasWrittenSince() throws IOException {
        try (EndedAttempts ended = new EndedAttempts(state)) {
            ended.record(9, 1, finished(9, 1, 4));
        }
        Path dir = Files.createDirectories(state.resolve("ended"));
        Files.writeString(dir.resolve("9-1.json"), MessageCodec.encode(failed(9, 1, "older")));
        try (EndedAttempts ended = new EndedAttempts(state)) {
            assertEquals(Optional.of(finished(9, 1, 4)), ended.find(9, 1));
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void refusesAStateDirectoryWhoseDatabaseIsNoSqliteFileAndSaysWhatToDo() throws IOException {
        byte[] garbage = new byte[8192];
        new Random(1).nextBytes(garbage);
        Path db = Files.write(state.resolve(AttemptRecordStore.FILE), garbage);
        IOException e = assertThrows(IOException.class, () -> new EndedAttempts(state));
        assertTrue(e.getMessage().startsWith(db.toAbsolutePath() + " is not a usable SQLite database"),
                e.getMessage());
        assertTrue(e.getMessage().contains("move it"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(db), "left as it was");
    }

    @Test
    void recordsFromSeveralThreadsAtOnceBesideTheOutputRecordsWriter() throws Exception {
        int threads = 8;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch go = new CountDownLatch(1);
        try (EndedAttempts ended = new EndedAttempts(state); OutputRecords outputs = new OutputRecords(state)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long job = t;
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int a = 1; a <= each; a++) {
                        ended.record(job, a, finished(job, a, a));
                        assertEquals(Optional.of(finished(job, a, a)), ended.find(job, a));
                    }
                    return null;
                }));
            }
            writers.add(pool.submit(() -> {
                go.await();
                for (int a = 1; a <= each; a++) {
                    outputs.rememberAll(List.of(OutputRecordsTest.placed(100, a, state, "o-%j.out", null)));
                }
                return null;
            }));
            go.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            for (long job = 0; job < threads; job++) {
                for (int a = 1; a <= each; a++) {
                    assertEquals(Optional.of(finished(job, a, a)), ended.find(job, a));
                }
            }
            assertTrue(outputs.find(100, each).isPresent());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedStoreRefusesWritesAndClosesOnce() throws IOException {
        EndedAttempts ended = new EndedAttempts(state);
        ended.close();
        ended.close();
        IOException e = assertThrows(IOException.class, () -> ended.record(1, 1, finished(1, 1, 0)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        ended.pruneExpired(T0);
    }
}
