package io.switchboard.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.publisher.publish.PublishOutcome.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishOutcomeTest {

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "200, DELIVERED",
        "202, DELIVERED",
        "400, PERMANENT",
        "401, PERMANENT",
        "403, PERMANENT",
        "404, PERMANENT",
        "413, PERMANENT",
        "408, TRANSIENT",
        "429, TRANSIENT",
        "500, TRANSIENT",
        "502, TRANSIENT",
        "503, TRANSIENT"
    })
    void classifiesStatusesOurselves(int status, Kind kind) {
        assertThat(PublishOutcome.fromHttp(status, status == 200 ? "{}" : "nope")
                        .kind())
                .isEqualTo(kind);
    }

    @ParameterizedTest(name = "Soketi 200 with {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"error\":\"The data content of this event exceeds the allowed maximum (10 kb).\",\"code\":413} | PERMANENT | 413",
                "{\"error\":\"The app does not exist\",\"code\":404} | PERMANENT | 404",
                "{\"error\":\"Too many requests\",\"code\":429} | TRANSIENT | 429",
                "{\"error\":\"Something failed\"} | PERMANENT | 400"
            })
    void aSuccessStatusWithAnErrorBodyIsAFailure(String body, Kind kind, int status) {
        PublishOutcome outcome = PublishOutcome.fromHttp(200, body);
        assertThat(outcome.kind()).isEqualTo(kind);
        assertThat(outcome.httpStatus()).isEqualTo(status);
        assertThat(outcome.message()).isNotBlank();
    }
}
