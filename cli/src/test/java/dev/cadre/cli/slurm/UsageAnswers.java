package dev.cadre.cli.slurm;

/** Answers of GET /api/jobs/ID/usage (web/README.md, docs/protocol.md 15) for the tests of sstat. */
public final class UsageAnswers {
    /** The route's example: the first node answered, the second did not. */
    public static final String ONE_ANSWERED = """
            {"jobId": 42, "attempt": 1, "nodes": [
              {"nodeId": "node1-3f2a9c01", "hostname": "node1", "coordinator": true, "running": true,
               "usage": {"userCpuMicros": 61520000, "systemCpuMicros": 1240000, "maxRssBytes": 73400320},
               "rssBytes": 70254592, "pids": [48121, 48133], "time": "2026-11-21T10:05:00.120Z", "error": null},
              {"nodeId": "node2-77aa0011", "hostname": "node2", "coordinator": false, "running": false,
               "usage": null, "rssBytes": null, "pids": [], "time": null, "error": "node2 did not answer within 5 s"}
            ]}""";

    private UsageAnswers() {
    }
}
