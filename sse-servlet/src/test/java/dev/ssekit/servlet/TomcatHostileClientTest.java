package dev.ssekit.servlet;

/** Hostile and careless clients against embedded Tomcat 11. */
class TomcatHostileClientTest extends HostileClientContract {

    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
