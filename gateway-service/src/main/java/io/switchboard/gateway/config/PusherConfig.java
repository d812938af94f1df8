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
        String masterKey = properties.encryptionMasterKeyBase64();
        Pusher pusher = masterKey == null || masterKey.isBlank()
                ? new Pusher(properties.appId(), properties.key(), properties.secret())
                : new Pusher(properties.appId(), properties.key(), properties.secret(), masterKey);
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
