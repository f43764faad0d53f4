package dev.ssekit;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose periodic tasks run only when a test calls {@link #runPeriodicTasks()}, on
 * the calling thread. Only periodic scheduling is supported: that is all the hub uses.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<PeriodicTask> tasks = new CopyOnWriteArrayList<>();
    private volatile boolean shutdown;

    /** Runs every periodic task that is not cancelled, once. */
    void runPeriodicTasks() {
        for (PeriodicTask task : tasks) {
            task.command.run();
        }
    }

    /** How many periodic tasks are scheduled and not cancelled. */
    int activeTasks() {
        return tasks.size();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
            long period, TimeUnit unit) {
        PeriodicTask task = new PeriodicTask(command);
        tasks.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
            long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot scheduling is not used by the hub");
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot scheduling is not used by the hub");
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("immediate execution is not used by the hub");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private final class PeriodicTask implements ScheduledFuture<Object> {

        private final Runnable command;
        private volatile boolean cancelled;

        PeriodicTask(Runnable command) {
            this.command = command;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return tasks.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new CancellationException("a periodic task never completes normally");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS),
                    other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
