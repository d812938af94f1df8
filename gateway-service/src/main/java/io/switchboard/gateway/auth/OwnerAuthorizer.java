package io.switchboard.gateway.auth;

import java.net.URI;
import java.util.Map;

/** Asks the service that owns a channel whether the caller may read it. */
@FunctionalInterface
public interface OwnerAuthorizer {

    boolean allows(URI authorizer, String channel, Map<String, String> params, Caller caller);
}
