package dev.cadre.scheduler;

import dev.cadre.db.PartitionStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.scheduler.core.Partitions;
import dev.cadre.scheduler.core.SchedulerCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around {@link Partitions}: a request's partitions are stored in SQLite, all in one transaction, before
 * the core takes them, so that a refusal by SQLite changes nothing. Called under the core's lock only.
 */
final class PartitionBook {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionBook.class);
    private final PartitionStore store;
    private final SchedulerCore core;

    PartitionBook(PartitionStore store, SchedulerCore core) {
        this.store = store;
        this.core = core;
    }

    /** The stored partitions, into the core as the head starts. */
    void recover() {
        core.partitions().recover(store.list());
    }

    ClientReply.PartitionResult carryOut(PartitionRequest request) {
        Partitions.Outcome o = core.judge(request);
        if (o.after() != null) {
            store.replaceAll(o.after());
        }
        core.partitions().apply(o);
        if (o.reply().ok()) {
            LOG.info("{} partition {} at the request of {}: {}", request instanceof PartitionRequest.CreatePartition
                    ? "created" : request instanceof PartitionRequest.UpdatePartition ? "updated" : "deleted",
                    request.name(), request.user(), o.reply().partition() == null ? "" : o.reply().partition());
        }
        return o.reply();
    }
}
