package io.switchboard.publisher.config;

import com.pusher.rest.PusherAsync;
import io.switchboard.publisher.publish.DryRunGateway;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherHttpGateway;
import io.switchboard.publisher.publish.RetryAfterGate;
import org.asynchttpclient.Dsl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Pusher client and the gateway in front of it. */
@Configuration(proxyBeanMethods = false)
public class PusherConfig {

    private static final Logger log = LoggerFactory.getLogger(PusherConfig.class);

    /** Present only when the app id, key and secret are set; the HTTP gateway needs it. */
    @Bean(destroyMethod = "close")
    PusherAsync pusher(PusherProperties properties, PublisherProperties publisher, RetryAfterGate retryAfter) {
        if (!properties.configured()) {
            return null;
        }
        // with the master key, pusher-http-java encrypts the data of every event to a private-encrypted- channel
        // (one channel per trigger or batch event: the Dispatcher builds only such requests)
        PusherAsync pusher = properties.encryptionConfigured()
                ? new PusherAsync(
                        properties.appId(),
                        properties.key(),
                        properties.secret(),
                        properties.encryptionMasterKeyBase64())
                : new PusherAsync(properties.appId(), properties.key(), properties.secret());
        pusher.configureHttpClient(Dsl.config()
                .setRequestTimeout(publisher.requestTimeout())
                .setKeepAlive(true)
                .setIoThreadsCount(publisher.ioThreads())
                .addResponseFilter(retryAfter.responseFilter()));
        if (properties.hostAndPort() != null) {
            pusher.setHost(properties.hostAndPort());
        } else {
            pusher.setCluster(properties.cluster());
        }
        pusher.setEncrypted(properties.encrypted());
        // data is already JSON text: send it as it is (the default marshaller would quote it a second time)
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }

    @Bean
    PusherGateway pusherGateway(PusherProperties properties, ObjectProvider<PusherAsync> pusher) {
        if (properties.dryRun()) {
            log.warn("PUSHER_DRY_RUN=1: events are logged, nothing is published to Pusher");
            return new DryRunGateway();
        }
        PusherAsync client = pusher.getIfAvailable();
        if (client == null) {
            throw new IllegalStateException(
                    "Pusher is not configured: set PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET, or PUSHER_DRY_RUN=1");
        }
        log.info(
                "publishing to {} as app {}",
                properties.hostAndPort() == null
                        ? "Pusher cluster " + properties.cluster()
                        : properties.scheme() + "://" + properties.hostAndPort(),
                properties.appId());
        log.info(
                properties.encryptionConfigured()
                        ? "private-encrypted- channels: events are encrypted end to end"
                        : "private-encrypted- channels: no PUSHER_ENCRYPTION_MASTER_KEY_BASE64, their events are"
                                + " dead-lettered (ENCRYPTION_KEY_MISSING), never sent in clear text");
        return new PusherHttpGateway(client);
    }
}
