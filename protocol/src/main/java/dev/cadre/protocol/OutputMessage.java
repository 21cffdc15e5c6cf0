package dev.cadre.protocol;

/**
 * Reading a job's output where it is written: the node that coordinated the attempt. The head sends read-output
 * to the node's output queue ({@link Destinations#outputQueue}); the node answers one output-chunk on the
 * request's reply-to. The request names the attempt and stream, never a path: the node reads only the files it
 * opened for that attempt itself.
 */
public sealed interface OutputMessage extends Message {
    /** The most bytes one output-chunk carries. */
    int MAX_CHUNK_BYTES = 64 * 1024;
    /** The longest a read-output may wait for new output. */
    long MAX_WAIT_MILLIS = 30_000;

    /**
     * @param stream {@code stdout} or {@code stderr}
     * @param offset the first byte to read; a negative value counts back from the end of the file, as tail -c
     * @param maxBytes at most this many bytes, 1 to {@link #MAX_CHUNK_BYTES}
     * @param waitMillis when there is nothing to read yet (nothing at the offset of a running attempt, or no record
     *        or file of the attempt yet), how long the node may hold the request for that to change; 0 answers at
     *        once
     */
    record ReadOutput(long jobId, int attempt, String stream, long offset, int maxBytes, long waitMillis)
            implements OutputMessage {
    }

    /**
     * @param path the file on the node, for people; null when the node has no record of the attempt
     * @param offset where data starts in the file
     * @param size the file's size when it was read
     * @param data the bytes read, base64-encoded; empty when there were none
     * @param running whether the attempt still runs on the node, so more output may come
     * @param absent the node has no record or no file of the attempt (yet): a later read may find them, unlike a
     *        read refused for good
     * @param error why nothing could be read; null when the read succeeded
     */
    record OutputChunk(long jobId, int attempt, String stream, String path, long offset, long size, String data,
            boolean running, boolean absent, String error) implements OutputMessage {
    }
}
