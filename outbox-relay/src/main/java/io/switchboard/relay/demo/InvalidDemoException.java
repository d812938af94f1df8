package io.switchboard.relay.demo;

/** The demo's data is wrong; the message names the team, the step and the field. */
public final class InvalidDemoException extends RuntimeException {
    public InvalidDemoException(String message) {
        super(message);
    }
}
