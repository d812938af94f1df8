package io.switchboard.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.TopicReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class ReplayArgumentsTest {

    private static ReplayCommand parse(String... args) {
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        ParseResult result = cli.parseArgs(args);
        return (ReplayCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsAreADryRunOfRealtimeEventsAt50PerSecond() {
        ReplayCommand replay = parse("replay");
        assertThat(replay.topic).isEqualTo("realtime.events");
        assertThat(replay.toTopic).isNull();
        assertThat(replay.shadowPrefix).isNull();
        assertThat(replay.yes).isFalse();
        assertThat(replay.rate).isEqualTo(50.0);
        assertThat(replay.publishTopic).isEqualTo("realtime.publish");
        assertThat(replay.range()).isEqualTo(TopicReader.Range.ALL);
    }

    @Test
    void optionsAreParsed() {
        ReplayCommand replay = parse(
                "replay",
                "--topic=realtime.publish",
                "--partition=0",
                "--partition=2,3",
                "--type=audit.*",
                "--key=A1",
                "--event-id=e1,e2",
                "--field=fiche_id=F1",
                "--field=note=a=b",
                "--from=2026-12-03T09:00:00Z",
                "--to=2026-12-03T11:00:00+01:00",
                "--to-topic=realtime.events",
                "--redeliver",
                "--rate=10/s",
                "--yes");
        assertThat(replay.topic).isEqualTo("realtime.publish");
        assertThat(replay.partitions).containsExactly(0, 2, 3);
        assertThat(replay.filter.types).containsExactly("audit.*");
        assertThat(replay.filter.keys).containsExactly("A1");
        assertThat(replay.filter.eventIds).containsExactly("e1", "e2");
        assertThat(replay.filter.fields)
                .containsExactly(new RecordFilter.Field("fiche_id", "F1"), new RecordFilter.Field("note", "a=b"));
        assertThat(replay.range())
                .isEqualTo(new TopicReader.Range(
                        Instant.parse("2026-12-03T09:00:00Z"), Instant.parse("2026-12-03T10:00:00Z"), null, null));
        assertThat(replay.redeliver).isTrue();
        assertThat(replay.rate).isEqualTo(10.0);
    }

    @Test
    void sinceIsAWindowEndingNow() {
        ReplayCommand replay = parse("replay", "--since=2h");
        replay.clock = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
        assertThat(replay.range())
                .isEqualTo(new TopicReader.Range(
                        Instant.parse("2026-12-03T08:00:00Z"), Instant.parse("2026-12-03T10:00:00Z"), null, null));
        assertThat(parse("replay", "--from-offset=5", "--to-offset=9").range())
                .isEqualTo(new TopicReader.Range(null, null, 5L, 9L));
    }

    @Test
    void windowsThatContradictThemselvesAreUsageErrors() {
        assertUsage(parse("replay", "--since=2h", "--to=2026-12-03T09:00:00Z"), "--since cannot be combined");
        assertUsage(parse("replay", "--since=2h", "--from-offset=3"), "choose times");
        assertUsage(
                parse("replay", "--from=2026-12-03T10:00:00Z", "--to=2026-12-03T09:00:00Z"),
                "is after --to 2026-12-03T09:00:00Z");
        assertUsage(parse("replay", "--from-offset=9", "--to-offset=3"), "--from-offset 9 is after --to-offset 3");
    }

    @Test
    void badValuesAreRefusedByTheParser() {
        assertThatThrownBy(() -> parse("replay", "--field=fiche_id"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("is not NAME=VALUE");
        assertThatThrownBy(() -> parse("replay", "--rate=0/s")).hasMessageContaining("is not a rate");
        assertThatThrownBy(() -> parse("replay", "--rate=-5/s")).hasMessageContaining("is not a rate");
        assertThatThrownBy(() -> parse("replay", "--since=yesterday")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> parse("tail", "--for=forever")).hasMessageContaining("is not a duration");
    }

    @Test
    void typeGlobsMatchWholeTypesWithStarAndQuestionMark() {
        assertThat(RecordFilter.glob("audit.*").matcher("audit.step_completed").matches())
                .isTrue();
        assertThat(RecordFilter.glob("audit.*").matcher("auditXstep").matches()).isFalse();
        assertThat(RecordFilter.glob("audit.*").matcher("pre.audit.x").matches())
                .isFalse();
        assertThat(RecordFilter.glob("Job?ailed").matcher("JobFailed").matches())
                .isTrue();
        assertThat(RecordFilter.glob("qa.run.progress")
                        .matcher("qa.run.progress")
                        .matches())
                .isTrue();
    }

    @Test
    void tailOptionsAreParsed() {
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        TailCommand tail = (TailCommand) cli.parseArgs("tail", "--since=15m", "--max=3", "--for=30s", "--json")
                .subcommand()
                .commandSpec()
                .userObject();
        assertThat(tail.since).isEqualTo(Duration.ofMinutes(15));
        assertThat(tail.max).isEqualTo(3);
        assertThat(tail.duration).isEqualTo(Duration.ofSeconds(30));
        assertThat(tail.json).isTrue();
        assertThat(tail.topic).isEqualTo("realtime.events");
    }

    private static void assertUsage(ReplayCommand replay, String message) {
        assertThatThrownBy(replay::range)
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((CliFailure) e).exit()).isEqualTo(CliFailure.USAGE));
    }
}
