package dev.ssekit.servlet;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A container's own write call that sends a frame at once, without copying it into the
 * response buffer, so the frame needs no separate flush.
 *
 * <p>Jetty 12's servlet output stream ({@code org.eclipse.jetty.ee10.servlet.HttpOutput}) has a
 * public {@code write(ByteBuffer)} that hands the bytes straight to the connection as long as
 * nothing was written through the buffer before; the transport never does that. It spares the
 * copy into the response buffer, the flush pass and the pooled buffer Jetty otherwise keeps for
 * each stream; the buffer size then only caps the piece Jetty writes at once. Other containers
 * have no such call (Tomcat's {@code write(ByteBuffer)} buffers like {@code write(byte[])}), so
 * the transport writes and flushes there.
 */
final class UnbufferedWrite {

    private static final String JETTY_OUTPUT = "org.eclipse.jetty.ee10.servlet.HttpOutput";

    private static final MethodType WRITE_BUFFER =
            MethodType.methodType(void.class, ByteBuffer.class);

    private static final ClassValue<Optional<UnbufferedWrite>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Optional<UnbufferedWrite> computeValue(Class<?> type) {
            return Optional.ofNullable(lookUp(type));
        }
    };

    private final MethodHandle write;

    private UnbufferedWrite(MethodHandle write) {
        this.write = write;
    }

    /** The unbuffered write of this output stream's container, if it has one. */
    static Optional<UnbufferedWrite> of(ServletOutputStream output) {
        return BY_CLASS.get(output.getClass());
    }

    /** Sends the bytes; as with any non-blocking write, {@code isReady()} tells when done. */
    void write(ServletOutputStream output, byte[] bytes) throws IOException {
        try {
            write.invokeExact(output, ByteBuffer.wrap(bytes));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("the container's write failed", e);
        }
    }

    private static UnbufferedWrite lookUp(Class<?> type) {
        if (!type.getName().equals(JETTY_OUTPUT)) {
            return null;
        }
        try {
            MethodHandle handle = MethodHandles.publicLookup()
                    .findVirtual(type, "write", WRITE_BUFFER)
                    .asType(MethodType.methodType(void.class, ServletOutputStream.class,
                            ByteBuffer.class));
            return new UnbufferedWrite(handle);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            // A Jetty version without the call: write and flush as on any container.
            return null;
        }
    }
}
