package io.switchboard.kafka.trace;

/** The topics a trace reads: the pipeline's two topics, their dead-letter topics ({@code .dlq}) and the ledger. */
public record TraceTopics(String events, String publish, String ledger) {

    public static final TraceTopics DEFAULT = new TraceTopics("realtime.events", "realtime.publish", "realtime.ledger");

    public String eventsDlq() {
        return events + ".dlq";
    }

    public String publishDlq() {
        return publish + ".dlq";
    }
}
