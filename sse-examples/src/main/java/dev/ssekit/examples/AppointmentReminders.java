package dev.ssekit.examples;

import dev.ssekit.examples.ClinicData.Appointment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that sends {@code appointment.reminder} to patients whose appointment
 * starts within the next hour; each appointment is reminded once.
 *
 * <p>The clock and the scheduler are injected, so a test moves time and calls
 * {@link #runOnce()} instead of waiting for the schedule. Thread-safe: runs may overlap with
 * API calls, and {@link ClinicData} hands each due appointment out once.
 */
final class AppointmentReminders {

    /** How far ahead an appointment counts as upcoming. */
    static final Duration WINDOW = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(AppointmentReminders.class);

    private final ClinicData data;
    private final ClinicEvents events;
    private final Clock clock;

    AppointmentReminders(ClinicData data, ClinicEvents events, Clock clock) {
        this.data = Objects.requireNonNull(data, "data");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Schedules {@link #runOnce()} at a fixed rate on a scheduler the caller owns.
     *
     * @return the scheduled task, to cancel on shutdown
     */
    ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration period) {
        long millis = period.toMillis();
        return scheduler.scheduleAtFixedRate(this::runSafely, millis, millis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a reminder for every appointment that became due since the last run.
     *
     * @return how many reminders were sent
     */
    int runOnce() {
        List<Appointment> due = data.takeDueForReminder(clock.instant(), WINDOW);
        for (Appointment appointment : due) {
            events.appointmentReminder(appointment.patientId(), appointment.id(),
                    appointment.clinicianId(), appointment.startsAt());
        }
        return due.size();
    }

    private void runSafely() {
        // An exception escaping a periodic task silently cancels all its later runs.
        try {
            int sent = runOnce();
            log.debug("reminder job sent {} reminders", sent);
        } catch (RuntimeException e) {
            log.warn("reminder job failed; it runs again at the next period", e);
        }
    }
}
