package dev.ssekit.examples;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clinic's in-memory data: demo users, patient records, prescriptions and appointments.
 * Nothing is persisted; a restart starts from the same seed.
 *
 * <p>Thread-safe: request threads and the reminder job call it concurrently; every method
 * holds the private lock only while it reads or changes the maps and returns copies.
 *
 * <p>Bad input is reported with {@link IllegalArgumentException} (the API answers 400) and a
 * missing entity with {@link NoSuchElementException} (the API answers 404).
 */
final class ClinicData {

    /** Role of clinic staff: they see record events and change records and prescriptions. */
    static final String STAFF = "staff";

    /** Role of administrators: they raise system alerts and run the reminder job. */
    static final String ADMIN = "admin";

    /** Role of patients: they receive their own prescription and appointment events. */
    static final String PATIENT = "patient";

    /** A demo user; the id is the JWT subject. */
    record DemoUser(String id, String name, Set<String> roles) {
    }

    /** A patient record; {@code version} counts its changes. */
    record PatientRecord(String id, String patientId, String summary, int version,
            String updatedBy, Instant updatedAt) {
    }

    /** A prescription and its dispensing status. */
    record Prescription(String id, String patientId, String medication, String status) {
    }

    /** An appointment of a patient with a clinician. */
    record Appointment(String id, String patientId, String clinicianId, Instant startsAt) {
    }

    /** A status change, with the status before it. */
    record StatusChange(Prescription prescription, String previousStatus) {
    }

    /** Statuses a prescription may take. */
    static final List<String> PRESCRIPTION_STATUSES = List.of(
            "PRESCRIBED", "IN_PREPARATION", "READY_FOR_PICKUP", "PICKED_UP", "CANCELLED");

    private final Object lock = new Object();
    private final AtomicLong nextId = new AtomicLong(100);
    private final Map<String, DemoUser> users = new LinkedHashMap<>();
    private final Map<String, PatientRecord> records = new LinkedHashMap<>();
    private final Map<String, Prescription> prescriptions = new LinkedHashMap<>();
    private final Map<String, Appointment> appointments = new LinkedHashMap<>();
    private final Set<String> reminded = new HashSet<>();

    /** Creates the seed data; appointments are placed relative to {@code now}. */
    ClinicData(Instant now) {
        addUser(new DemoUser("dr.grey", "Dr. Meredith Grey", Set.of(STAFF)));
        addUser(new DemoUser("nurse.joy", "Nurse Joy", Set.of(STAFF)));
        addUser(new DemoUser("alice", "Alice Martin", Set.of(PATIENT)));
        addUser(new DemoUser("bob", "Bob Chen", Set.of(PATIENT)));
        addUser(new DemoUser("admin", "Clinic Admin", Set.of(ADMIN, STAFF)));

        records.put("rec-1", new PatientRecord("rec-1", "alice", "Seasonal allergies", 1,
                "dr.grey", now));
        records.put("rec-2", new PatientRecord("rec-2", "bob", "Sprained left ankle", 1,
                "dr.grey", now));
        prescriptions.put("rx-1", new Prescription("rx-1", "alice", "Cetirizine 10 mg",
                "PRESCRIBED"));
        prescriptions.put("rx-2", new Prescription("rx-2", "bob", "Ibuprofen 400 mg",
                "PRESCRIBED"));
        appointments.put("appt-1", new Appointment("appt-1", "alice", "dr.grey",
                now.plus(Duration.ofMinutes(30))));
        appointments.put("appt-2", new Appointment("appt-2", "bob", "dr.grey",
                now.plus(Duration.ofDays(3))));
    }

    private void addUser(DemoUser user) {
        users.put(user.id(), user);
    }

    /** Every demo user, in a stable order. */
    List<DemoUser> users() {
        synchronized (lock) {
            return List.copyOf(users.values());
        }
    }

    /** The user with this id, if any. */
    Optional<DemoUser> user(String id) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(id));
        }
    }

    /** Ids of the users holding the staff role. */
    List<String> staffIds() {
        synchronized (lock) {
            return users.values().stream().filter(u -> u.roles().contains(STAFF))
                    .map(DemoUser::id).toList();
        }
    }

    /**
     * Creates a record for a patient.
     *
     * @throws IllegalArgumentException if the patient id names no patient
     */
    PatientRecord createRecord(String patientId, String summary, String by, Instant now) {
        synchronized (lock) {
            requirePatient(patientId);
            String id = "rec-" + nextId.getAndIncrement();
            PatientRecord record = new PatientRecord(id, patientId, summary, 1, by, now);
            records.put(id, record);
            return record;
        }
    }

    /**
     * Replaces a record's summary and bumps its version.
     *
     * @throws NoSuchElementException if there is no such record
     */
    PatientRecord updateRecord(String recordId, String summary, String by, Instant now) {
        synchronized (lock) {
            PatientRecord old = records.get(recordId);
            if (old == null) {
                throw new NoSuchElementException("no patient record '" + recordId + "'");
            }
            PatientRecord updated = new PatientRecord(recordId, old.patientId(), summary,
                    old.version() + 1, by, now);
            records.put(recordId, updated);
            return updated;
        }
    }

    /**
     * Sets a prescription's status.
     *
     * @throws IllegalArgumentException if the status is not one of
     *     {@link #PRESCRIPTION_STATUSES}
     * @throws NoSuchElementException if there is no such prescription
     */
    StatusChange changePrescriptionStatus(String prescriptionId, String status) {
        String normalized = status.toUpperCase(Locale.ROOT);
        if (!PRESCRIPTION_STATUSES.contains(normalized)) {
            throw new IllegalArgumentException("status must be one of "
                    + PRESCRIPTION_STATUSES + ", got '" + status + "'");
        }

        synchronized (lock) {
            Prescription old = prescriptions.get(prescriptionId);
            if (old == null) {
                throw new NoSuchElementException("no prescription '" + prescriptionId + "'");
            }
            Prescription changed = new Prescription(old.id(), old.patientId(), old.medication(),
                    normalized);
            prescriptions.put(prescriptionId, changed);
            return new StatusChange(changed, old.status());
        }
    }

    /**
     * Books an appointment.
     *
     * @throws IllegalArgumentException if the patient id names no patient
     */
    Appointment bookAppointment(String patientId, String clinicianId, Instant startsAt) {
        synchronized (lock) {
            requirePatient(patientId);
            String id = "appt-" + nextId.getAndIncrement();
            Appointment appointment = new Appointment(id, patientId, clinicianId, startsAt);
            appointments.put(id, appointment);
            return appointment;
        }
    }

    /**
     * Returns the appointments starting between {@code now} and {@code now + window} that were
     * not returned before, and marks them so that each is returned once.
     */
    List<Appointment> takeDueForReminder(Instant now, Duration window) {
        Instant until = now.plus(window);
        List<Appointment> due = new ArrayList<>();
        synchronized (lock) {
            for (Appointment appointment : appointments.values()) {
                boolean upcoming = !appointment.startsAt().isBefore(now)
                        && !appointment.startsAt().isAfter(until);
                if (upcoming && reminded.add(appointment.id())) {
                    due.add(appointment);
                }
            }
        }
        return due;
    }

    private void requirePatient(String patientId) {
        DemoUser user = users.get(patientId);
        if (user == null || !user.roles().contains(PATIENT)) {
            throw new IllegalArgumentException("patientId '" + patientId
                    + "' names no patient; demo patients are alice and bob");
        }
    }
}
