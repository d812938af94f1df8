package io.switchboard.testkit;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second real Kafka broker per test JVM whose only client listener is {@code SASL_PLAINTEXT} with the {@code PLAIN}
 * mechanism, as a managed cluster asks for: for tests of the clients' security settings (the command line's
 * {@code --command-config}). Always in process (Kafka's own KRaft test kit, as spring-kafka's embedded broker), never
 * the shared {@link KafkaTestBroker}, so no other test meets SASL. It authenticates and does not authorize (no ACLs):
 * {@link #USER} with {@link #PASSWORD} gets in, a client without credentials, or with others, is refused. The broker
 * stops when the JVM exits.
 *
 * <p>The test kit points {@code java.security.auth.login.config} at the broker's JAAS file (a {@code KafkaServer}
 * section only): a client in the same JVM must bring its own {@code sasl.jaas.config}, as a real one does.
 */
public final class KafkaSaslTestBroker {

    public static final String USER = JaasUtils.KAFKA_PLAIN_ADMIN;
    public static final String PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

    private static final Logger log = LoggerFactory.getLogger(KafkaSaslTestBroker.class);
    private static volatile String bootstrap;

    private KafkaSaslTestBroker() {}

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = start();
        }
        return bootstrap;
    }

    /** What a client needs to reach the broker as {@link #USER}: the address and the SASL settings. */
    public static Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(saslConfig(USER, PASSWORD));
        config.put("bootstrap.servers", bootstrapServers());
        return config;
    }

    /** {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} for these credentials. */
    public static Map<String, String> saslConfig(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    private static String start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                            .build())
                    // authentication only: the kit's ACL authorizer would refuse its own PLAINTEXT controller listener
                    .setConfigProp("authorizer.class.name", "")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception e) {
                    log.warn("the SASL test broker did not stop cleanly", e);
                }
            }));
            log.info(
                    "SASL tests use an in-process KRaft broker at {} (SASL_PLAINTEXT, PLAIN)",
                    cluster.bootstrapServers());
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("the SASL test broker did not start", e);
        }
    }
}
