package dev.cadre.cli;

import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.JobRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Every job in a head's SQLite file, read through a read-only connection while the head runs. The REST API
 * leaves out the spec and the submission key, which these tests check.
 */
final class StoredJobs {
    private StoredJobs() {
    }

    static List<JobRecord> all(Path dataDir) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + dataDir.resolve("cadre.db").toAbsolutePath());
        JobStore store = new JobStore(Jdbi.create(source));
        List<JobRecord> jobs = new ArrayList<>();
        Long after = null;
        while (true) {
            List<JobRecord> page = store.list(new JobQuery(Set.of(), null, null, Set.of(), after, JobQuery.MAX_LIMIT));
            jobs.addAll(page);
            if (page.size() < JobQuery.MAX_LIMIT) {
                return jobs;
            }
            after = page.get(page.size() - 1).id();
        }
    }
}
