package dev.ssekit.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare socket client, for what {@code HttpClient} cannot do: stop reading with a tiny
 * receive buffer, or vanish with a TCP reset.
 */
final class RawClient implements AutoCloseable {

    private static final String LAST_CHUNK = "\r\n0\r\n\r\n";

    private final Socket socket;

    private RawClient(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects and sends {@code GET path}; reads nothing.
     *
     * @param receiveBuffer the socket receive buffer size, or 0 for the default
     */
    static RawClient get(int port, String path, String token, int receiveBuffer)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Accept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawClient(socket);
    }

    /** Reads until the text appears; returns everything read. */
    String readUntil(String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (seen.indexOf(text) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream ended before '" + text + "': " + seen);
            }
            seen.append((char) b);
        }
        return seen.toString();
    }

    /**
     * Reads everything the server still sends and tells whether the response ended within the
     * timeout: the connection closed, or the last chunk ({@code 0\r\n\r\n}) of a chunked body
     * arrived on a connection kept alive.
     */
    boolean drainsToTheEnd(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        String tail = "";
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                tail = lastBytes(tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (tail.endsWith(LAST_CHUNK)) {
                    return true;
                }
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static String lastBytes(String text) {
        return text.length() <= LAST_CHUNK.length() ? text
                : text.substring(text.length() - LAST_CHUNK.length());
    }

    /** Closes with a reset (SO_LINGER 0) instead of an orderly FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
