package dev.ssekit.servlet;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/** An embedded servlet container serving one servlet at {@code /events/*} on loopback. */
interface ServletContainer {

    /**
     * Starts the container on an ephemeral loopback port with the servlet registered (async
     * support on), its init-params and the given servlet context attributes.
     *
     * @return the port
     */
    int start(HttpServlet servlet, Map<String, String> initParams,
            Map<String, Object> contextAttributes) throws Exception;

    /** Stops the container; idempotent. */
    void stop() throws Exception;
}
