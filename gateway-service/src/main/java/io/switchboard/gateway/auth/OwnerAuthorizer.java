package io.switchboard.gateway.auth;

import java.net.URI;
import java.util.Map;

/** Asks the service that owns a channel whether the caller may read it. */
@FunctionalInterface
public interface OwnerAuthorizer {

    /**
     * @param params the placeholder values read from the channel by the rule's template
     * @param caller the verified caller, with a non-blank subject
     * @return the owner's answer; never null, never throws for anything the owner does
     */
    OwnerAnswer ask(URI authorizer, String channel, Map<String, String> params, Caller caller);
}
