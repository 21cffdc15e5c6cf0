package dev.cadre.cli.slurm;

import dev.cadre.protocol.ArrayIndexes;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * squeue's lines in squeue's order, made one at a time as they are printed. With -r an array's pending tasks are a
 * line each: every one, as Slurm prints them all, or only those -j names when it names tasks of the array
 * ("12_3", "12_[1-3]"). An array may have a million pending tasks, so they are never held together: each record
 * gives its lines already in order, and the records' lines are merged.
 */
public final class SqueueLines implements Iterator<SqueueJob> {
    private final PriorityQueue<Source> queue;

    /**
     * @param records the records the filters passed, in the order the API gave them
     * @param oneLinePerTask squeue -r
     * @param named -j's ids, or null
     */
    public SqueueLines(List<SqueueJob> records, boolean oneLinePerTask, List<SlurmJobId> named,
            Comparator<SqueueJob> order) {
        NamedTasks tasks = NamedTasks.of(named);
        queue = new PriorityQueue<>(Math.max(1, records.size()), new SourceOrder(order));
        for (int i = 0; i < records.size(); i++) {
            SqueueJob r = records.get(i);
            PrimitiveIterator.OfInt ids = oneLinePerTask && r.isPendingTasks() ? tasks.of(r, order) : null;
            Source s = new Source(i, r, ids);
            if (s.advance()) {
                queue.add(s);
            }
        }
    }

    @Override
    public boolean hasNext() {
        return !queue.isEmpty();
    }

    @Override
    public SqueueJob next() {
        Source s = queue.poll();
        if (s == null) {
            throw new NoSuchElementException();
        }
        SqueueJob line = s.head;
        if (s.advance()) {
            queue.add(s);
        }
        return line;
    }

    /** A record's lines: the record itself, or its pending tasks one by one. */
    private static final class Source {
        final int index;
        final SqueueJob record;
        final PrimitiveIterator.OfInt tasks;
        SqueueJob head;
        boolean recordGiven;

        Source(int index, SqueueJob record, PrimitiveIterator.OfInt tasks) {
            this.index = index;
            this.record = record;
            this.tasks = tasks;
        }

        boolean advance() {
            if (tasks != null) {
                head = tasks.hasNext() ? record.task(tasks.nextInt()) : null;
            } else {
                head = recordGiven ? null : record;
                recordGiven = true;
            }
            return head != null;
        }
    }

    /** The lines' order; lines equal in it keep their records' order, as squeue's stable sorts do. */
    private record SourceOrder(Comparator<SqueueJob> order) implements Comparator<Source> {
        @Override
        public int compare(Source a, Source b) {
            int c = order.compare(a.head, b.head);
            return c != 0 ? c : Integer.compare(a.index, b.index);
        }
    }

    /** -j's tasks by array; an array named by its own id has every task named. */
    private record NamedTasks(Set<Long> wholeArrays, Map<Long, BitSet> tasks) {
        static NamedTasks of(List<SlurmJobId> named) {
            if (named == null) {
                return new NamedTasks(null, null);
            }
            Set<Long> whole = new HashSet<>();
            Map<Long, BitSet> tasks = new HashMap<>();
            for (SlurmJobId id : named) {
                if (id.taskId() == null) {
                    whole.add(id.jobId());
                } else {
                    BitSet ofArray = tasks.get(id.jobId());
                    if (ofArray == null) {
                        ofArray = new BitSet();
                        tasks.put(id.jobId(), ofArray);
                    }
                    ofArray.set(id.taskId());
                }
            }
            return new NamedTasks(whole, tasks);
        }

        /** The record's pending tasks to print, in the order's direction for task ids. */
        PrimitiveIterator.OfInt of(SqueueJob r, Comparator<SqueueJob> order) {
            ArrayIndexes pending = ArrayIndexes.parseStored(r.arrayPending());
            boolean descending = order.compare(r.task(0), r.task(1)) > 0;
            if (wholeArrays == null || wholeArrays.contains(r.arrayJobId()) || wholeArrays.contains(r.id())) {
                return descending ? reversed(pending.ids(), pending.count()) : pending.ids();
            }
            BitSet chosen = new BitSet();
            BitSet asked = tasks.getOrDefault(r.arrayJobId(), new BitSet());
            for (int t = asked.nextSetBit(0); t >= 0; t = asked.nextSetBit(t + 1)) {
                if (pending.contains(t)) {
                    chosen.set(t);
                }
            }
            PrimitiveIterator.OfInt ids = chosen.stream().iterator();
            return descending ? reversed(ids, chosen.cardinality()) : ids;
        }

        /** Task ids are 4 bytes each: a million of them reversed is 4 MB, once, for squeue -S -i. */
        private static PrimitiveIterator.OfInt reversed(PrimitiveIterator.OfInt ids, int count) {
            int[] all = new int[count];
            for (int i = 0; i < count && ids.hasNext(); i++) {
                all[count - 1 - i] = ids.nextInt();
            }
            return java.util.Arrays.stream(all).iterator();
        }
    }
}
