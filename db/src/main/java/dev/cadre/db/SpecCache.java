package dev.cadre.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed specs of array tasks. Every task of an array reads its array's spec text; parsing it once rather than
 * once per task keeps loading a large array's tasks as fast as loading one job.
 */
final class SpecCache {
    private static final int MAX = 256;
    private static final Map<String, JobSpec> PARSED = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobSpec> eldest) {
            return size() > MAX;
        }
    };

    private SpecCache() {
    }

    static JobSpec read(String text, boolean shared) throws JsonProcessingException {
        if (!shared) {
            return MessageCodec.mapper().readValue(text, JobSpec.class);
        }
        synchronized (PARSED) {
            JobSpec cached = PARSED.get(text);
            if (cached != null) {
                return cached;
            }
        }
        JobSpec spec = MessageCodec.mapper().readValue(text, JobSpec.class);
        synchronized (PARSED) {
            PARSED.put(text, spec);
        }
        return spec;
    }
}
