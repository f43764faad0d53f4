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
 * public {@code write(ByteBuffer)} that hands the bytes straight to the connection, unless its
 * response buffer already holds content: then it appends small writes to the buffer instead.
 * So the call is used only on a response nothing was written to yet ({@code isWritten()}), and
 * the transport never writes through the buffer. It spares the copy into the buffer, the flush
 * pass and the pooled buffer Jetty otherwise keeps for each stream; the buffer size then only
 * caps the piece Jetty writes at once. Other containers have no such call (Tomcat's
 * {@code write(ByteBuffer)} buffers like {@code write(byte[])}), so the transport writes and
 * flushes there.
 */
final class UnbufferedWrite {

    private static final String JETTY_OUTPUT = "org.eclipse.jetty.ee10.servlet.HttpOutput";

    private static final MethodType OUTPUT_WRITE =
            MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class);
    private static final MethodType OUTPUT_IS_WRITTEN =
            MethodType.methodType(boolean.class, ServletOutputStream.class);

    /**
     * The two calls per output stream class. The values hold only JDK and container types, so
     * that the cache on a container class never pins the web application's class loader.
     */
    private static final ClassValue<Optional<MethodHandle[]>> CALLS = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle[]> computeValue(Class<?> type) {
            return Optional.ofNullable(lookUp(type));
        }
    };

    private final MethodHandle write;

    private UnbufferedWrite(MethodHandle write) {
        this.write = write;
    }

    /**
     * The unbuffered write of this output stream's container, if it has one and nothing was
     * written to the stream yet.
     */
    static Optional<UnbufferedWrite> of(ServletOutputStream output) {
        Optional<MethodHandle[]> calls = CALLS.get(output.getClass());
        if (calls.isEmpty() || isWritten(calls.get()[1], output)) {
            return Optional.empty();
        }
        return Optional.of(new UnbufferedWrite(calls.get()[0]));
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

    private static boolean isWritten(MethodHandle isWritten, ServletOutputStream output) {
        try {
            return (boolean) isWritten.invokeExact(output);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            // Unknown state: the buffered write and flush is right in every case.
            return true;
        }
    }

    private static MethodHandle[] lookUp(Class<?> type) {
        if (!type.getName().equals(JETTY_OUTPUT)) {
            return null;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle write = lookup.findVirtual(type, "write",
                    MethodType.methodType(void.class, ByteBuffer.class)).asType(OUTPUT_WRITE);
            MethodHandle isWritten = lookup.findVirtual(type, "isWritten",
                    MethodType.methodType(boolean.class)).asType(OUTPUT_IS_WRITTEN);
            return new MethodHandle[] {write, isWritten};
        } catch (NoSuchMethodException | IllegalAccessException e) {
            // A Jetty version without these calls: write and flush as on any container.
            return null;
        }
    }
}
