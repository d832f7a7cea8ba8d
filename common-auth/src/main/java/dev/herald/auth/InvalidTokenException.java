package dev.herald.auth;

/** A user token that is missing, malformed, forged or expired; the message says which, never the token. */
public class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String reason) {
        super(reason);
    }
}
