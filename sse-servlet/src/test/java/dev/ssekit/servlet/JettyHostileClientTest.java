package dev.ssekit.servlet;

/** Hostile and careless clients against embedded Jetty 12. */
class JettyHostileClientTest extends HostileClientContract {

    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
