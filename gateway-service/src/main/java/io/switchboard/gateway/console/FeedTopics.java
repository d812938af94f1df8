package io.switchboard.gateway.console;

import java.util.List;

/**
 * The topics the console reads: the delivery ledger (published events, drops), the publish topic (each routed
 * event's data size and truncation) and the two dead-letter topics, named as the services name them (the source
 * topic and {@code .dlq}).
 */
public record FeedTopics(String events, String publish, String ledger) {

    public FeedTopics {
        for (String topic : new String[] {events, publish, ledger}) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("switchboard.console.topics: every topic needs a name");
            }
        }
    }

    public String eventsDlq() {
        return events + ".dlq";
    }

    public String publishDlq() {
        return publish + ".dlq";
    }

    List<String> all() {
        return List.of(ledger, publish, eventsDlq(), publishDlq());
    }
}
