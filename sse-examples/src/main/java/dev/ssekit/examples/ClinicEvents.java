package dev.ssekit.examples;

import dev.ssekit.Emission;
import dev.ssekit.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The clinic's live events, as typed domain methods: the pattern this example recommends.
 *
 * <p>Controllers and jobs call one method per domain fact ("a prescription's status changed")
 * and never build event names or JSON by hand. Each method picks the audience (everyone with
 * {@link EventPublisher#emit}, one user with {@link EventPublisher#emitTo}) and passes a small
 * payload record, which the hub serializes to JSON once per event. The records carry what a
 * client needs to update its screen without a second request, and nothing more.
 *
 * <p>Audiences, chosen for a clinic:
 * <ul>
 *   <li>{@code record.created}, {@code record.updated}: staff only. {@code emit} would reach
 *       every connected user, patients included, so these go to each staff member through
 *       {@code emitTo} (one event, with its own id, per staff member).
 *   <li>{@code system.alert}: everyone, through {@code emit}.
 *   <li>{@code notification}: the one addressed user.
 *   <li>{@code prescription.statusChanged}, {@code appointment.reminder}: the patient.
 * </ul>
 *
 * <p>Thread-safe, like the publisher it wraps: call it from request threads and jobs alike.
 * Every method returns promptly; delivery happens on the hub's threads.
 */
public final class ClinicEvents {

    /** Type of the event sent when a patient record is created. */
    public static final String RECORD_CREATED = "record.created";

    /** Type of the event sent when a patient record changes. */
    public static final String RECORD_UPDATED = "record.updated";

    /** Type of the event an administrator raises for everyone. */
    public static final String SYSTEM_ALERT = "system.alert";

    /** Type of a message to one user. */
    public static final String NOTIFICATION = "notification";

    /** Type of the event sent to a patient when a prescription's status changes. */
    public static final String PRESCRIPTION_STATUS_CHANGED = "prescription.statusChanged";

    /** Type of the event sent to a patient shortly before an appointment. */
    public static final String APPOINTMENT_REMINDER = "appointment.reminder";

    /** Every event type this application sends, for clients building a filter. */
    public static final List<String> TYPES = List.of(RECORD_CREATED, RECORD_UPDATED,
            SYSTEM_ALERT, NOTIFICATION, PRESCRIPTION_STATUS_CHANGED, APPOINTMENT_REMINDER);

    /**
     * Payload of {@code record.created} and {@code record.updated}.
     *
     * @param recordId the record's id
     * @param patientId the patient the record belongs to
     * @param summary the record's summary after the change
     * @param version the record's version after the change, starting at 1
     * @param changedBy the user id of the staff member who made the change
     * @param changedAt when the change was made, ISO-8601 UTC
     */
    public record RecordChanged(String recordId, String patientId, String summary, int version,
            String changedBy, String changedAt) {
    }

    /**
     * Payload of {@code system.alert}.
     *
     * @param severity {@code info}, {@code warning} or {@code critical}
     * @param message the text to show
     * @param raisedBy the administrator's user id
     * @param raisedAt when it was raised, ISO-8601 UTC
     */
    public record SystemAlert(String severity, String message, String raisedBy,
            String raisedAt) {
    }

    /**
     * Payload of {@code notification}.
     *
     * @param title a short title
     * @param body the message
     * @param from the sender's user id
     * @param sentAt when it was sent, ISO-8601 UTC
     */
    public record Notification(String title, String body, String from, String sentAt) {
    }

    /**
     * Payload of {@code prescription.statusChanged}.
     *
     * @param prescriptionId the prescription's id
     * @param medication the medication, as the patient knows it
     * @param previousStatus the status before the change
     * @param status the new status, for example {@code READY_FOR_PICKUP}
     * @param changedAt when it changed, ISO-8601 UTC
     */
    public record PrescriptionStatusChanged(String prescriptionId, String medication,
            String previousStatus, String status, String changedAt) {
    }

    /**
     * Payload of {@code appointment.reminder}.
     *
     * @param appointmentId the appointment's id
     * @param clinicianId the clinician the patient will see
     * @param startsAt when it starts, ISO-8601 UTC
     * @param minutesUntilStart whole minutes from the reminder to the start
     */
    public record AppointmentReminder(String appointmentId, String clinicianId,
            String startsAt, long minutesUntilStart) {
    }

    private final EventPublisher publisher;
    private final Supplier<? extends Collection<String>> staffIds;
    private final Clock clock;

    /**
     * Creates the events facade.
     *
     * @param publisher the hub (or any publisher) to send through
     * @param staffIds supplies the ids of the users who receive record events, asked on
     *     every record event so that staff changes apply at once
     * @param clock the time source for the timestamps in payloads
     */
    public ClinicEvents(EventPublisher publisher, Supplier<? extends Collection<String>> staffIds,
            Clock clock) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.staffIds = Objects.requireNonNull(staffIds, "staffIds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Tells staff a record was created; returns one emission per staff member. */
    public List<Emission> recordCreated(RecordChanged change) {
        return toStaff(RECORD_CREATED, Objects.requireNonNull(change, "change"));
    }

    /** Tells staff a record changed; returns one emission per staff member. */
    public List<Emission> recordUpdated(RecordChanged change) {
        return toStaff(RECORD_UPDATED, Objects.requireNonNull(change, "change"));
    }

    /** Shows an alert to every connected user. */
    public Emission systemAlert(String severity, String message, String raisedBy) {
        SystemAlert alert = new SystemAlert(severity, message, raisedBy, now());
        return publisher.emit(SYSTEM_ALERT, alert);
    }

    /** Sends a message to one user, and to no one else. */
    public Emission notify(String userId, String title, String body, String from) {
        Notification notification = new Notification(title, body, from, now());
        return publisher.emitTo(userId, NOTIFICATION, notification);
    }

    /** Tells a patient that one of their prescriptions changed status. */
    public Emission prescriptionStatusChanged(String patientId, String prescriptionId,
            String medication, String previousStatus, String status) {
        PrescriptionStatusChanged change = new PrescriptionStatusChanged(prescriptionId,
                medication, previousStatus, status, now());
        return publisher.emitTo(patientId, PRESCRIPTION_STATUS_CHANGED, change);
    }

    /** Reminds a patient of an upcoming appointment. */
    public Emission appointmentReminder(String patientId, String appointmentId,
            String clinicianId, Instant startsAt) {
        long minutes = Math.max(0, Duration.between(clock.instant(), startsAt).toMinutes());
        AppointmentReminder reminder = new AppointmentReminder(appointmentId, clinicianId,
                startsAt.toString(), minutes);
        return publisher.emitTo(patientId, APPOINTMENT_REMINDER, reminder);
    }

    private List<Emission> toStaff(String type, RecordChanged change) {
        List<Emission> emissions = new ArrayList<>();
        for (String staffId : staffIds.get()) {
            emissions.add(publisher.emitTo(staffId, type, change));
        }
        return emissions;
    }

    private String now() {
        return clock.instant().toString();
    }
}
