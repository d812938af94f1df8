package io.switchboard.cli.replay;

import java.io.Console;

/** Asks the operator a yes/no question before anything is published. */
@FunctionalInterface
interface Prompt {

    /** The answer, or null when standard input is not a terminal (a script, a pipe, CI): nobody can answer. */
    String ask(String question);

    /** The terminal, when there is one. */
    static Prompt console() {
        return question -> {
            Console console = System.console();
            if (console == null) {
                return null;
            }
            String answer = console.readLine("%s", question);
            return answer == null ? "" : answer;
        };
    }

    static boolean yes(String answer) {
        return answer != null
                && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}
