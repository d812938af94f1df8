package io.switchboard.gateway.console;

import io.switchboard.gateway.config.ConsoleEnabled;
import java.util.List;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's page and the JSON it polls (docs/console.md). Present only when the console is enabled; who may call
 * it is SecurityConfig's console chain.
 */
@RestController
@Conditional(ConsoleEnabled.class)
public class ConsoleController {

    /** {@code GET /console/api/state}: everything that is a current value rather than a list of rows. */
    public record State(List<ChannelRate> channels, int rateSeconds, List<StageCounters> stages, FeedStatus feed) {}

    private static final Resource PAGE = new ClassPathResource("io/switchboard/gateway/console/web/index.html");

    private final ConsoleState state;
    private final ConsoleFeed feed;
    private final MetricsScraper metrics;
    private final LiveView live;
    private final ConsoleTrace trace;

    public ConsoleController(
            ConsoleState state, ConsoleFeed feed, MetricsScraper metrics, LiveView live, ConsoleTrace trace) {
        this.state = state;
        this.feed = feed;
        this.metrics = metrics;
        this.live = live;
        this.trace = trace;
    }

    @GetMapping("/console/")
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noStore())
                .body(PAGE);
    }

    @GetMapping("/console/api/live")
    LiveView live() {
        return live;
    }

    @GetMapping("/console/api/state")
    State state() {
        return new State(state.channels(), ConsoleState.RATE_SECONDS, metrics.counters(), feed.status());
    }

    /** Rows added after {@code after} (0 or absent: every row kept), with the cursor to send next. */
    @GetMapping("/console/api/feed")
    ConsoleState.Feed feed(@RequestParam(defaultValue = "0") long after) {
        return state.after(after);
    }

    /**
     * What became of one event (on one channel, when given): {@code switchboard trace --event-id X [--channel C]}
     * over the console's trace window. 400 for an id that cannot be one, 429 while another search runs.
     */
    @GetMapping("/console/api/trace")
    ResponseEntity<ConsoleTrace.Answer> trace(
            @RequestParam String eventId, @RequestParam(required = false) String channel) {
        String id = eventId.strip();
        String on = channel == null || channel.isBlank() ? null : channel.strip();
        if (id.isEmpty() || id.length() > 200 || on != null && on.length() > 200) {
            return ResponseEntity.badRequest()
                    .body(new ConsoleTrace.Answer(List.of(), "an event id (and a channel) of at most 200 characters"));
        }
        try {
            return ResponseEntity.ok(trace.trace(id, on));
        } catch (ConsoleTrace.Busy e) {
            return ResponseEntity.status(429).body(new ConsoleTrace.Answer(List.of(), e.getMessage()));
        }
    }
}
