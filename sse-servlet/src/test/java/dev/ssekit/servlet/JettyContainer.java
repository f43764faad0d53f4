package dev.ssekit.servlet;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (EE10, Servlet 6). */
final class JettyContainer implements ServletContainer {

    private Server server;

    @Override
    public int start(HttpServlet servlet, Map<String, String> initParams,
            Map<String, Object> contextAttributes) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        contextAttributes.forEach(context::setAttribute);
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        holder.setInitParameters(initParams);
        context.addServlet(holder, "/events/*");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
