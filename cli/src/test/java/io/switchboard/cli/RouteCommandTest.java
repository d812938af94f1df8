package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RouteCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private List<JsonNode> run(String input, String... args) {
        RouteCommand command = new RouteCommand();
        StringWriter output = new StringWriter();
        command.stdin = new StringReader(input);
        command.out = new PrintWriter(output, true);
        int exit = new CommandLine(command).execute(args);
        assertThat(exit).isZero();
        return output.toString().lines().map(JSON::readTree).toList();
    }

    @Test
    void printsWhereEachEventWouldGo() {
        List<JsonNode> lines = run("""
                {"event_id":"e1","type":"audit.step_completed","payload":{"audit_id":"A","fiche_id":"F","status":"completed"}}
                {"type":"qa.run.progress","payload":"{\\"org_id\\":1,\\"percent\\":42}"}

                {"type":"audit.config_loaded","payload":{"config_id":"c","status":"loaded"}}
                """);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("event_id").asString()).isEqualTo("e1");
        assertThat(lines.get(0).get("rule").asString()).isEqualTo("audits");
        assertThat(lines.get(0).get("channels").toString()).isEqualTo("[\"private-audit-A\",\"private-fiche-F\"]");
        assertThat(lines.get(0).get("data").get("status").asString()).isEqualTo("completed");
        assertThat(lines.get(0).get("truncated").asBoolean()).isFalse();
        assertThat(lines.get(1).get("channels").toString()).isEqualTo("[\"private-org.1\"]");
        assertThat(lines.get(2).get("channels").toString()).isEqualTo("[\"private-global\"]");
    }

    @Test
    void saysWhyAnEventWouldNotBePublished() {
        List<JsonNode> lines = run("""
                {"type":"audit.progress","aggregate_id":"A","payload":{"audit_id":"A","progress_percentage":50}}
                {"type":"audit.progress","aggregate_id":"A","payload":{"audit_id":"A","progress_percentage":20}}
                {"type":"audit.progress","payload":{"audit_id":"A.private-org.1"}}
                not json
                """);
        assertThat(lines.get(0).has("dropped")).isFalse();
        assertThat(lines.get(1).get("dropped").asString()).startsWith("PROGRESS_REGRESSED");
        assertThat(lines.get(2).get("dropped").asString()).startsWith("UNSAFE_PLACEHOLDER");
        assertThat(lines.get(3).get("dropped").asString()).startsWith("INPUT_NOT_JSON");
    }

    @Test
    void optionsChangeThePrefixTheLimitAndTheRules(@TempDir Path dir) throws Exception {
        String event =
                "{\"type\":\"audit.progress\",\"payload\":{\"audit_id\":\"A\",\"note\":\"" + "x".repeat(500) + "\"}}\n";
        JsonNode line = run(event, "--private=false", "--max-payload-bytes=200").get(0);
        assertThat(line.get("channels").toString()).isEqualTo("[\"audit-A\"]");
        assertThat(line.get("truncated").asBoolean()).isTrue();
        assertThat(line.get("bytes").asInt()).isLessThanOrEqualTo(200);

        Path rules = dir.resolve("routes.yml");
        Files.writeString(rules, "rules: [{name: mine, types: ['*'], channels: ['ops']}]\n");
        JsonNode custom = run(event, "--routes=" + rules).get(0);
        assertThat(custom.get("rule").asString()).isEqualTo("mine");
        assertThat(custom.get("channels").toString()).isEqualTo("[\"private-ops\"]");
    }

    @Test
    void pusherUsePrivateChannelsIsReadAsTheServiceReadsIt() {
        // the defect: only "0" meant false, so PUSHER_USE_PRIVATE_CHANNELS=false still prefixed private-
        assertThat(RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", "false", true))
                .isFalse();
        assertThat(RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", "0", true)).isFalse();
        assertThat(RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", "off", true))
                .isFalse();
        assertThat(RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", "1", false)).isTrue();
        assertThat(RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", "yes", false))
                .isTrue();
        assertThat(RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", null, true)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RouteCommand.flag("PUSHER_USE_PRIVATE_CHANNELS", "maybe", true))
                .hasMessageContaining("PUSHER_USE_PRIVATE_CHANNELS")
                .hasMessageContaining("maybe");
    }

    /**
     * Review of issue 15: the router's settings were read from the environment when the command line was built, so a
     * bad PUSHER_MAX_PAYLOAD_BYTES was a stack trace of every command; now the command that routes says it in one
     * line and exits 2, and the environment wins only where no option is given.
     */
    @Test
    void aRouterSettingFromTheEnvironmentThatIsNotANumberIsOneLineAndExitTwo() {
        for (Map<String, String> environment :
                List.of(Map.of("PUSHER_MAX_PAYLOAD_BYTES", "lots"), Map.of("PUSHER_USE_PRIVATE_CHANNELS", "maybe"))) {
            RouteCommand command = new RouteCommand();
            StringWriter output = new StringWriter();
            StringWriter errors = new StringWriter();
            command.stdin = new StringReader("{\"type\":\"audit.progress\",\"payload\":{\"audit_id\":\"A\"}}\n");
            command.out = new PrintWriter(output, true);
            command.err = new PrintWriter(errors, true);
            CommandLine cli = new CommandLine(command);
            command.routing.environment = environment::get;
            assertThat(cli.execute()).as(environment.toString()).isEqualTo(2);
            assertThat(output.toString()).isEmpty();
            assertThat(errors.toString().lines())
                    .singleElement()
                    .asString()
                    .isEqualTo(
                            environment.containsKey("PUSHER_MAX_PAYLOAD_BYTES")
                                    ? "switchboard route: PUSHER_MAX_PAYLOAD_BYTES must be a whole number of bytes (e.g. 9000);"
                                            + " was lots"
                                    : "switchboard route: PUSHER_USE_PRIVATE_CHANNELS must be 1, 0, true, false, yes, no, on or"
                                            + " off; was maybe");
        }

        RouteCommand command = new RouteCommand();
        StringWriter output = new StringWriter();
        command.stdin = new StringReader("{\"type\":\"audit.progress\",\"payload\":{\"audit_id\":\"A\"}}\n");
        command.out = new PrintWriter(output, true);
        CommandLine cli = new CommandLine(command);
        command.routing.environment =
                Map.of("PUSHER_MAX_PAYLOAD_BYTES", "lots", "PUSHER_USE_PRIVATE_CHANNELS", "no")::get;
        assertThat(cli.execute("--max-payload-bytes=300")).isZero();
        assertThat(JSON.readTree(output.toString()).get("channels").toString()).isEqualTo("[\"audit-A\"]");
    }

    @Test
    void anInputFileThatDoesNotExistIsOneLineAndExitTwo(@TempDir Path dir) {
        RouteCommand command = new RouteCommand();
        StringWriter errors = new StringWriter();
        command.out = new PrintWriter(new StringWriter(), true);
        command.err = new PrintWriter(errors, true);
        Path missing = dir.resolve("events.jsonl");
        assertThat(new CommandLine(command).execute(missing.toString())).isEqualTo(2);
        assertThat(errors.toString().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard route: cannot read " + missing + ": no such file");
    }
}
