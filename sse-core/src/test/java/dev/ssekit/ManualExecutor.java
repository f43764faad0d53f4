package dev.ssekit;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * A delivery executor whose tasks run only when a test calls {@link #runAll()}, on the calling
 * thread; it makes single-threaded hub scenarios deterministic.
 */
final class ManualExecutor implements Executor {

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable command) {
        tasks.add(command);
    }

    /** Runs queued tasks, including those they queue, until none is left. */
    void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    int pending() {
        return tasks.size();
    }
}
