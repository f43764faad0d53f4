package dev.ssekit.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare socket client, for what {@code HttpClient} cannot do: stop reading with a tiny
 * receive buffer, or vanish with a TCP reset.
 */
final class RawClient implements AutoCloseable {

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
