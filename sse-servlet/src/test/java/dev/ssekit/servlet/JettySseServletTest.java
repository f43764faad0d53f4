package dev.ssekit.servlet;

import java.time.Duration;

/** The servlet contract on embedded Jetty 12. */
class JettySseServletTest extends SseServletContract {

    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }

    /** Jetty destroys the servlet at once, which ends the streams. */
    @Override
    Duration shutdownBound() {
        return Duration.ofSeconds(1);
    }
}
