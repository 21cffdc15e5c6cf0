package dev.cadre.broker;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Follows the frames of one STOMP connection byte by byte and says when a frame grows past the limit, before the
 * broker, which reads a frame whole, has held more than that of it. A frame's size counts its command, headers and
 * body; a {@code content-length} past the limit refuses the frame as soon as its headers are read.
 */
final class StompFrameLimit implements GuardedProtocol.Limit {
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private enum Part { BETWEEN_FRAMES, HEADERS, BODY_OF_LENGTH, TERMINATOR, BODY_TO_NUL }

    /** Where the current header line is, as far as a content-length goes. */
    private enum Line { NAME, BEFORE_VALUE, VALUE, AFTER_VALUE, OTHER }

    private final long maxFrameBytes;
    private Part part = Part.BETWEEN_FRAMES;
    private long frameBytes;
    /** Bytes of the current header line, without a trailing carriage return. */
    private int lineBytes;
    private Line line = Line.NAME;
    private long lineValue;
    /** The largest content-length among the frame's headers (STOMP takes the first, Artemis may differ), or -1. */
    private long contentLength = -1;
    private long bodyLeft;
    private String refusal;

    StompFrameLimit(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Reads the next byte; false once a frame is past the limit (then {@link #refusal()} says why). */
    boolean next(byte b) {
        if (refusal != null) {
            return false;
        }
        switch (part) {
            case BETWEEN_FRAMES -> {
                // Heart-beats and stray terminators between frames belong to no frame.
                if (b != '\n' && b != '\r' && b != 0) {
                    part = Part.HEADERS;
                    frameBytes = 0;
                    contentLength = -1;
                    startLine();
                    return header(b);
                }
                return true;
            }
            case HEADERS -> {
                return header(b);
            }
            case BODY_OF_LENGTH -> {
                if (--bodyLeft == 0) {
                    part = Part.TERMINATOR;
                }
                return counted();
            }
            case TERMINATOR -> {
                if (b == 0) {
                    part = Part.BETWEEN_FRAMES;
                    return true;
                }
                // Not where the frame should end: count on to the next NUL, which still bounds it.
                part = Part.BODY_TO_NUL;
                return counted();
            }
            default -> {
                if (b == 0) {
                    part = Part.BETWEEN_FRAMES;
                    return true;
                }
                return counted();
            }
        }
    }

    @Override
    public boolean read(ByteBuf bytes) {
        return bytes.forEachByte(this::next) < 0;
    }

    @Override
    public String refusal() {
        return refusal;
    }

    private boolean header(byte b) {
        if (b == '\n') {
            if (lineBytes == 0) {
                return endOfHeaders();
            }
            if (line == Line.VALUE || line == Line.AFTER_VALUE) {
                contentLength = Math.max(contentLength, lineValue);
            }
            startLine();
        } else if (b != '\r') {
            readLineByte(b);
            if (line == Line.VALUE && lineValue > maxFrameBytes) {
                // Refused at the digit that passes the limit, without waiting for the rest of the number.
                return refuse("a STOMP frame's content-length is larger than the " + maxFrameBytes
                        + " bytes the broker reads in a frame");
            }
        }
        return counted();
    }

    private void readLineByte(byte b) {
        switch (line) {
            case NAME -> {
                int at = lineBytes;
                line = Character.toLowerCase(b) != CONTENT_LENGTH[at] ? Line.OTHER
                        : at == CONTENT_LENGTH.length - 1 ? Line.BEFORE_VALUE : Line.NAME;
            }
            case BEFORE_VALUE -> {
                if (b >= '0' && b <= '9') {
                    line = Line.VALUE;
                    lineValue = b - '0';
                } else if (b != ' ' && b != '\t') {
                    line = Line.OTHER;
                }
            }
            case VALUE -> {
                if (b >= '0' && b <= '9') {
                    lineValue = Math.min(Long.MAX_VALUE / 10, lineValue * 10 + (b - '0'));
                } else {
                    line = Line.AFTER_VALUE;
                }
            }
            default -> {
                // Another header, or what follows the number: the frame's length is settled.
            }
        }
        lineBytes++;
    }

    private boolean endOfHeaders() {
        if (contentLength > 0) {
            part = Part.BODY_OF_LENGTH;
            bodyLeft = contentLength;
        } else {
            part = contentLength == 0 ? Part.TERMINATOR : Part.BODY_TO_NUL;
        }
        return counted();
    }

    private void startLine() {
        lineBytes = 0;
        line = Line.NAME;
        lineValue = 0;
    }

    private boolean counted() {
        if (++frameBytes > maxFrameBytes) {
            return refuse("a STOMP frame is larger than the " + maxFrameBytes + " bytes the broker reads in a frame");
        }
        return true;
    }

    private boolean refuse(String why) {
        refusal = why;
        return false;
    }
}
