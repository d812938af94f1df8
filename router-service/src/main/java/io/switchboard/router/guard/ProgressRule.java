package io.switchboard.router.guard;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What the progress guard reads from an event: the run it reports on, whether it ends that run, and its progress.
 * Pure functions of the type and the payload.
 *
 * <ul>
 *   <li><b>Family</b>: the event types that report on one run of an entity. For a dotted type it is everything
 *       before the last dot, plus the part of the run that the last segment names before its last {@code _word}:
 *       {@code transcription.progress}, {@code transcription.completed} and {@code transcription.failed} are family
 *       {@code transcription}; {@code qa.run.progress} and {@code qa.run.completed} are {@code qa.run};
 *       {@code fiches.progressive_fetch.progress} and {@code .complete} are {@code fiches.progressive_fetch};
 *       {@code audit.step_completed} is {@code audit.step} (a step, not the audit run);
 *       {@code transcription.recording_failed} is {@code transcription.recording}. For an undotted CamelCase type it
 *       is the first word ({@code JobProgressed}, {@code JobStatusUpdated}, {@code JobCompleted}: {@code Job}); an
 *       undotted {@code snake_case} type is read like a last segment ({@code import_progress}: {@code import}). Any
 *       other type is its own family.
 *   <li><b>End of a run</b>: the outcome word (the last {@code _word} of the last dotted segment, or the last
 *       CamelCase word) is one of {@link #TERMINAL_WORDS}, or the payload's {@code status} is one of
 *       {@link #TERMINAL_STATUSES}. It ends the run of its own family: {@code transcription.completed} ends the
 *       transcription run, so the next {@code transcription.progress} at 10% starts a new one; {@code
 *       audit.step_completed} ends a step, and the audit's own progress stays guarded between steps.
 *   <li><b>Progress</b>: the first numeric field of {@code percent}, {@code progress}, {@code progress_percentage}.
 * </ul>
 */
public final class ProgressRule {

    public static final List<String> PROGRESS_FIELDS = List.of("percent", "progress", "progress_percentage");
    public static final Set<String> TERMINAL_WORDS = Set.of("completed", "complete", "failed", "cancelled", "canceled");
    public static final Set<String> TERMINAL_STATUSES =
            Set.of("completed", "complete", "failed", "cancelled", "canceled", "completed_with_failures");

    private ProgressRule() {}

    /** The family of an event type (see the class comment). */
    public static String family(String type) {
        int dot = type.lastIndexOf('.');
        int underscore = type.lastIndexOf('_');
        if (dot >= 0 || underscore > 0) {
            return underscore > dot ? type.substring(0, underscore) : type.substring(0, dot);
        }
        int word = secondWordStart(type);
        return word < 0 ? type : type.substring(0, word);
    }

    /** True when the event ends the run of its family (see the class comment). */
    public static boolean endsRun(String type, JsonNode payload) {
        if (TERMINAL_WORDS.contains(outcome(type).toLowerCase(Locale.ROOT))) {
            return true;
        }
        JsonNode status = payload.get("status");
        return status != null
                && status.isString()
                && TERMINAL_STATUSES.contains(status.asString().toLowerCase(Locale.ROOT));
    }

    /** The outcome word: the last {@code _word} of the last dotted segment, or the last CamelCase word. */
    static String outcome(String type) {
        int cut = Math.max(type.lastIndexOf('.'), type.lastIndexOf('_'));
        if (cut >= 0) {
            return type.substring(cut + 1);
        }
        int word = lastWordStart(type);
        return word <= 0 ? type : type.substring(word);
    }

    /** The event's progress, or null when it carries none. */
    public static Double progress(JsonNode payload) {
        for (String field : PROGRESS_FIELDS) {
            JsonNode value = payload.get(field);
            if (value != null && value.isNumber()) {
                return value.asDouble();
            }
        }
        return null;
    }

    /** Where the second CamelCase word starts, or -1 (also for names that are not CamelCase). */
    private static int secondWordStart(String type) {
        if (type.isEmpty() || !Character.isUpperCase(type.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < type.length(); i++) {
            if (Character.isUpperCase(type.charAt(i)) && Character.isLowerCase(type.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastWordStart(String type) {
        for (int i = type.length() - 1; i > 0; i--) {
            if (Character.isUpperCase(type.charAt(i)) && Character.isLowerCase(type.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }
}
