package io.switchboard.kafka;

/**
 * A record could not be settled for a reason outside its data: the output topic or the dead-letter topic did not
 * acknowledge in time, the schema registry could not be reached, Pusher's circuit is open. Such a record is never
 * dead-lettered: the records before it are committed, and consumption resumes from it after a backoff, for as long
 * as it takes ({@link DeadLetterPolicy#errorHandler}).
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailure(String message) {
        super(message);
    }
}
