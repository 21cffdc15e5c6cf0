package dev.cadre.node.core;

import dev.cadre.protocol.OutputMessage;

/**
 * Which bytes of an output file a read-output asks for, judged against the file's size when it is read.
 *
 * @param start where the read begins; never past the end, so a reader whose offset went stale (the file was
 *        rewritten) is brought back to what the file holds
 * @param length how many bytes to read, possibly none
 */
public record OutputRange(long start, int length) {

    /** Why the request cannot be answered with output, naming the field at fault; null when it can. */
    public static String problem(OutputMessage.ReadOutput r) {
        if (!"stdout".equals(r.stream()) && !"stderr".equals(r.stream())) {
            return "stream must be stdout or stderr, not '" + r.stream() + "'";
        }
        if (r.maxBytes() < 1 || r.maxBytes() > OutputMessage.MAX_CHUNK_BYTES) {
            return "maxBytes must be between 1 and " + OutputMessage.MAX_CHUNK_BYTES + ", not " + r.maxBytes();
        }
        if (r.waitMillis() < 0 || r.waitMillis() > OutputMessage.MAX_WAIT_MILLIS) {
            return "waitMillis must be between 0 and " + OutputMessage.MAX_WAIT_MILLIS + ", not " + r.waitMillis();
        }
        if (r.offset() == Long.MIN_VALUE) {
            return "offset is out of range";
        }
        return null;
    }

    /** @param offset a byte offset, or a negative count of bytes back from the end */
    public static OutputRange of(long offset, int maxBytes, long size) {
        long start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
        return new OutputRange(start, (int) Math.min(maxBytes, size - start));
    }
}
