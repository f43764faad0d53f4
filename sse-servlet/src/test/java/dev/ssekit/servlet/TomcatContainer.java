package dev.ssekit.servlet;

import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat 11 (Servlet 6.1). */
final class TomcatContainer implements ServletContainer {

    /** Held so that the quieter level sticks; Tomcat logs every start and stop at INFO. */
    private static final Logger TOMCAT_LOG = quiet(Logger.getLogger("org.apache"));

    private Tomcat tomcat;
    private Path baseDir;

    @Override
    public int start(HttpServlet servlet, Map<String, String> initParams,
            Map<String, Object> contextAttributes) throws Exception {
        baseDir = Files.createTempDirectory("ssekit-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);

        StandardContext context = (StandardContext) tomcat.addContext("", baseDir.toString());
        // Leak detection needs JVM flags the tests do not set; it would only warn about them.
        context.setClearReferencesRmiTargets(false);
        context.setClearReferencesThreadLocals(false);
        Wrapper wrapper = Tomcat.addServlet(context, "sse", servlet);
        wrapper.setAsyncSupported(true);
        initParams.forEach(wrapper::addInitParameter);
        context.addServletMapping("/events/*", "sse");
        context.addServletContainerInitializer((classes, servletContext) ->
                contextAttributes.forEach(servletContext::setAttribute), null);
        tomcat.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() throws Exception {
        if (tomcat == null) {
            return;
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("tomcat did not stop", e);
        } finally {
            tomcat = null;
            deleteBaseDir();
        }
    }

    private static Logger quiet(Logger logger) {
        logger.setLevel(Level.WARNING);
        return logger;
    }

    private void deleteBaseDir() throws java.io.IOException {
        try (var paths = Files.walk(baseDir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
