package io.switchboard.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.cli.SwitchboardCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Connection settings that cannot work, told by every command that talks to Kafka in one line, before it reaches for
 * the cluster (none answers on 127.0.0.1:1), and never with the credentials they hold (review of issue 15).
 */
class ConnectionSettingsTest {

    /** Every command that reads or writes topics, with what it needs besides the connection. */
    private static final List<List<String>> COMMANDS = List.of(
            List.of("trace", "--event-id=x"),
            List.of("replay"),
            List.of("tail"),
            List.of("dlq", "list"),
            List.of("dlq", "show", "publish:0:0"),
            List.of("dlq", "redrive"));

    record Run(int exit, String out, String err) {}

    private static Run execute(List<String> command, String... options) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--bootstrap-servers=127.0.0.1:1", "--timeout=1s"));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args.toArray(String[]::new));
        System.out.println("$ switchboard " + String.join(" ", args) + "\n" + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    private static String name(List<String> command) {
        return "switchboard " + (command.get(0).equals("dlq") ? "dlq " + command.get(1) : command.get(0));
    }

    /**
     * A registry URL that does not parse gave the URL with its password (replay, tail) or a stack trace (trace,
     * dlq); one without a scheme failed only at the first record, as "unsupported URI".
     */
    @Test
    void aRegistryUrlThatIsNotHttpIsAUsageErrorThatNamesTheSettingWithoutItsCredentials() {
        for (List<String> command : COMMANDS) {
            for (String url : List.of("http://user:s3cret@[bad", "registry:8081")) {
                Run run = execute(command, "--schema-registry-url=" + url);
                assertThat(run.exit()).as(command + " " + url).isEqualTo(2);
                assertThat(run.err().lines())
                        .as(command + " " + url)
                        .singleElement()
                        .asString()
                        .isEqualTo(name(command) + ": --schema-registry-url (or SCHEMA_REGISTRY_URL) must be"
                                + " http://HOST:PORT or https://HOST:PORT, with an optional path, e.g."
                                + " http://registry:8081; was "
                                + (url.contains("@")
                                        ? "http://***@[bad (Expected closing bracket for IPv6 address)"
                                        : url));
                assertThat(run.out()).isEmpty();
                assertThat(run.out() + run.err()).doesNotContain("s3cret");
            }
        }
    }

    /**
     * A client configuration that the Kafka client refuses when it is created: the line says what it refused, in
     * the client's words, with the secret it quotes masked ("Invalid login module control flag 's3cret'"); trace
     * printed picocli's stack trace, password and all.
     */
    @Test
    void aClientConfigurationTheClientRefusesIsOneLineWithoutTheSecretItQuotes(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(
                dir.resolve("client.properties"),
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=garbage s3cret\n");
        for (List<String> command : COMMANDS) {
            Run run = execute(command, "--command-config=" + config);
            assertThat(run.exit()).as(command.toString()).isEqualTo(1);
            assertThat(run.err().lines())
                    .as(command.toString())
                    .singleElement()
                    .asString()
                    .isEqualTo(name(command) + ": cannot connect to Kafka at 127.0.0.1:1: Invalid login module control"
                            + " flag '***' in JAAS config (check --command-config " + config + ")");
            assertThat(run.out() + run.err()).doesNotContain("s3cret");
        }
    }

    @Test
    void redactMasksTheRegistryPasswordAndEveryJaasValueButNotTheWordsAroundThem(@TempDir Path dir) throws IOException {
        ConnectionOptions connection = new ConnectionOptions();
        connection.schemaRegistryUrl = "https://reader:p%40ss@registry:8081";
        connection.commandConfig = Files.writeString(
                dir.resolve("client.properties"),
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"alice\" password=\"it\";\nssl.key.password=k3y\nclient.id=it\n");
        assertThat(connection.redact("user alice, password it or k3y, p@ss or p%40ss, within it: reader:p%40ss"))
                .isEqualTo("user ***, password *** or ***, *** or ***, within ***: ***");
    }

    /** Regression: a password with a malformed escape made redact() throw, so the one line became a stack trace. */
    @Test
    void aPasswordWithAMalformedEscapeIsStillMaskedInOneLine() {
        ConnectionOptions connection = new ConnectionOptions();
        connection.schemaRegistryUrl = "http://u:50%zz@registry:8081";
        assertThat(connection.redact("refused u:50%zz and 50%zz")).isEqualTo("refused *** and ***");
        for (List<String> command : COMMANDS) {
            Run run = execute(command, "--schema-registry-url=http://u:50%zz@registry:8081");
            assertThat(run.exit()).as(command.toString()).isEqualTo(2);
            assertThat(run.err().lines()).as(command.toString()).singleElement();
            assertThat(run.out() + run.err()).doesNotContain("50%zz").doesNotContain("zz\"");
        }
    }
}
