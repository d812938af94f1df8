package io.switchboard.gateway.auth;

import java.util.Locale;

/**
 * Why a channel was refused, as a code a counter or an alert can use ({@link #tag()}); the human text stays in
 * {@link ChannelAuthorizer.Decision#reason()}.
 */
public enum Refusal {
    /** The mode authenticates callers and none was presented. */
    NO_TOKEN,
    /** The token has no usable {@code sub} where the rule or presence needs one. */
    NO_SUBJECT,
    /**
     * The token lacks a claim the user id is made of ({@code switchboard.auth.user-id}, for example {@code org_id} in
     * {@code {org_id}:{sub}}), or one holds the character that separates it from the next.
     */
    NO_USER_ID,
    /** The channel name breaks Pusher's rules (characters, 164-character limit) or no known prefix. */
    NAME_INVALID,
    /** No rule's template matches the channel. */
    NO_RULE,
    /** A rule matched but a claim does not equal the channel's placeholder. */
    CLAIM_MISMATCH,
    /** The owning service answered and did not allow (anything but {@code 200 {"allow": true}}). */
    OWNER_REFUSED,
    /** The owning service could not be asked or answered outside the contract (connection error, 5xx). */
    OWNER_ERROR,
    /** The owning service did not answer within {@code switchboard.auth.owner.timeout}. */
    OWNER_TIMEOUT,
    /** Too many calls to that owner were in flight (its bulkhead is full): refused at once. */
    OWNER_BUSY,
    /** The mode refuses this channel whoever asks (deny mode; presence and encrypted channels in names-only mode). */
    MODE_REFUSES;

    /** The code in lower case, for a metric tag or a log field: {@code claim_mismatch}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
