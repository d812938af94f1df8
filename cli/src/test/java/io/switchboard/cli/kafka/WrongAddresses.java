package io.switchboard.cli.kafka;

import java.util.List;

/**
 * Broker addresses an operator mistypes, which the Kafka client refuses before it connects ("Failed to create new
 * KafkaAdminClient"): a host without a port, and a host that does not resolve; and the one line each command says.
 */
public final class WrongAddresses {

    public static final List<String> ALL = List.of("kafka", "no-such-host.invalid:9092");

    private WrongAddresses() {}

    /** What {@code switchboard COMMAND: } is followed by, naming the address and what the client found wrong. */
    public static String line(String address) {
        String why = address.contains(":")
                ? "No resolvable bootstrap urls given in bootstrap.servers"
                : "Invalid url in bootstrap.servers: " + address;
        return "cannot connect to Kafka at " + address + ": " + why
                + " (set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers to HOST:PORT, e.g. 127.0.0.1:9092)";
    }
}
