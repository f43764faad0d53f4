package dev.ssekit.bench;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The one embedded Jetty 12 set-up that every servlet subject runs on. */
final class JettyServers {

    private JettyServers() {
    }

    /** Starts Jetty on 127.0.0.1 with one servlet at {@code mapping}; returns the server. */
    static Server start(HttpServlet servlet, String mapping, Map<String, String> initParams)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("jetty");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        // Streams stay open for the whole run; the subjects' heartbeats keep them alive.
        connector.setIdleTimeout(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        initParams.forEach(holder::setInitParameter);
        context.addServlet(holder, mapping);
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The port the started server listens on. */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
