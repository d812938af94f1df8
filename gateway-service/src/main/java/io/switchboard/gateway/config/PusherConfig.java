package io.switchboard.gateway.config;

import com.pusher.rest.Pusher;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * pusher-http-java's client: it signs channels (with the shared secret of encrypted channels when the master key
 * is set) and publishes the operators' test event. Present only when the app id, key and secret are set.
 */
@Configuration(proxyBeanMethods = false)
public class PusherConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    Pusher pusher(PusherProperties properties) {
        if (!properties.configured()) {
            return null;
        }
        Pusher pusher;
        if (properties.encryptionEnabled()) {
            try {
                pusher = new Pusher(
                        properties.appId(),
                        properties.key(),
                        properties.secret(),
                        properties.encryptionMasterKeyBase64().strip());
            } catch (IllegalArgumentException e) {
                // pusher-http-java's message names neither the setting nor the key: name the setting, never the key
                throw new IllegalArgumentException("switchboard.pusher.encryption-master-key-base64"
                        + " (PUSHER_ENCRYPTION_MASTER_KEY_BASE64) must be 32 bytes, base64-encoded");
            }
        } else {
            pusher = new Pusher(properties.appId(), properties.key(), properties.secret());
        }
        if (properties.hostAndPort() != null) {
            pusher.setHost(properties.hostAndPort());
        } else {
            pusher.setCluster(properties.cluster());
        }
        pusher.setEncrypted(properties.encrypted());
        pusher.setRequestTimeout(5_000);
        // data is already JSON text: send it as it is (the default marshaller would quote it a second time)
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }
}
