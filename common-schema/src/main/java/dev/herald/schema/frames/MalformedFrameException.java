package dev.herald.schema.frames;

/** A frame that is not JSON, not an object, or lacks a required field. */
public final class MalformedFrameException extends IllegalArgumentException {

    public MalformedFrameException(String message) {
        super(message);
    }
}
