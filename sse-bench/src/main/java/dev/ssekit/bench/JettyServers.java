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
    static Server start(HttpServlet servlet, String mapping, Map<String, String> initParams,
            SubjectConfig config) throws Exception {
        return start(servlet, mapping, initParams, config.sendBuffer(),
                Math.max(config.writeTimeout().toMillis(), 3 * config.heartbeat().toMillis()));
    }

    /** As above with an explicit idle timeout; 0 holds silent connections forever. */
    static Server start(HttpServlet servlet, String mapping, Map<String, String> initParams,
            int sendBuffer, long idleTimeoutMillis) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("jetty");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        if (sendBuffer > 0) {
            connector.setAcceptedSendBufferSize(sendBuffer);
        }
        // Heartbeats keep open streams busy well within this; it also bounds a blocked write
        // of Jetty's EventSourceServlet, which has no write timeout of its own.
        connector.setIdleTimeout(idleTimeoutMillis);
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
