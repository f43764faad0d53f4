package dev.ssekit.servlet;

import java.time.Duration;

/** The servlet contract on embedded Tomcat 11. */
class TomcatSseServletTest extends SseServletContract {

    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }

    /**
     * Tomcat first waits up to its context's {@code unloadDelay} (2 s by default) for async
     * requests to finish, and only then destroys the servlet, which ends the streams.
     */
    @Override
    Duration shutdownBound() {
        return Duration.ofSeconds(3);
    }
}
