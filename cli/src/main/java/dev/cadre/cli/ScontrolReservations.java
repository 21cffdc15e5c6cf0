package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolReservation;
import dev.cadre.cli.slurm.ScontrolReservationFormat;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ReservationRefusal;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * scontrol create, update, delete and show reservation over the REST API (/api/reservations), in scontrol's words:
 * "Reservation created: X", "Reservation updated.", a refusal as "Error creating the reservation: " and the text of
 * Slurm's error number ({@link ReservationRefusal#slurmText}), with the head's reason after it. Only an operator
 * ({@link SlurmOperator}) may change one, as only root and SlurmUser may in Slurm; anyone may show them.
 */
final class ScontrolReservations {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Duration patience;

    ScontrolReservations(PrintStream out, PrintStream err, String config, Clock clock, Duration patience) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.patience = patience;
    }

    /** @param args the words after "create" */
    int create(List<String> args, boolean root) throws RestClient.ClientException {
        ScontrolReservation r;
        try {
            r = ScontrolReservation.create(args, clock.instant(), clock.getZone());
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (!root) {
            return notOperator("Error creating the reservation");
        }
        Map<String, Object> body = ScontrolChanges.asked(r.body(), root);
        try {
            Json answer = changes().rest().post("/api/reservations", body);
            out.println("Reservation created: " + answer.path("name").asText(r.name()));
            return 0;
        } catch (RestClient.ClientException e) {
            return changes().refused(e, "Error creating the reservation");
        }
    }

    /** @param args the words after "update", one of them ReservationName=X */
    int update(List<String> args, boolean root) throws RestClient.ClientException {
        ScontrolReservation r;
        try {
            r = ScontrolReservation.update(args, clock.instant(), clock.getZone());
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (!root) {
            return notOperator("Error updating the reservation");
        }
        Map<String, Object> body = ScontrolChanges.asked(r.body(), root);
        body.remove("name");
        try {
            changes().rest().post("/api/reservations/" + ScontrolChanges.encoded(r.name()), body);
            out.println("Reservation updated.");
            return 0;
        } catch (RestClient.ClientException e) {
            return changes().refused(e, "Error updating the reservation");
        }
    }

    /**
     * @param word the word naming it, as scontrol echoes it: "ReservationName=X"
     * @param name X
     */
    int delete(String word, String name, boolean root) throws RestClient.ClientException {
        if (!root) {
            return notOperator("delete_reservation " + word);
        }
        try {
            changes().rest().delete("/api/reservations/" + ScontrolChanges.encoded(name) + "?user="
                    + ScontrolChanges.encoded(System.getProperty("user.name")) + "&operator=" + root);
            return 0;
        } catch (RestClient.ClientException e) {
            return changes().refused(e, "delete_reservation " + word);
        }
    }

    /** show reservation [NAME]: scontrol_print_res, its "not found" on stdout. */
    int show(String name, boolean oneLiner) throws RestClient.ClientException {
        RestClient rest = RestClient.fromConfig(config);
        List<AdvanceReservation> shown = new ArrayList<>();
        for (Json r : rest.get("/api/reservations")) {
            AdvanceReservation read = new AdvanceReservation(r.path("name").asText(), r.path("startTime").asInstant(),
                    r.path("endTime").asInstant(), texts(r.path("nodes")), texts(r.path("users")),
                    texts(r.path("flags")));
            if (name == null || read.name().equals(name)) {
                shown.add(read);
            }
        }
        if (shown.isEmpty()) {
            out.println(name == null ? "No reservations in the system" : "Reservation " + name + " not found");
            return name == null ? 0 : 1;
        }
        Map<String, Integer> cores = new HashMap<>();
        for (Json n : rest.get("/api/nodes")) {
            cores.merge(n.path("hostname").asText(""), (int) n.path("cores").asLong(0), Math::max);
        }
        StringBuilder text = new StringBuilder();
        for (AdvanceReservation r : shown) {
            text.append(ScontrolReservationFormat.render(r, cores, clock.instant(), clock.getZone(), oneLiner));
        }
        out.print(text);
        return 0;
    }

    /**
     * Refused here, as slurmctld refuses anyone but root and SlurmUser: the REST API would answer 403, which a client
     * takes for a wrong token.
     */
    private int notOperator(String what) {
        err.println(what + ": " + ReservationRefusal.ACCESS_DENIED.slurmText() + " (only root or the head's owner"
                + " may create, update or delete a reservation)");
        return 1;
    }

    private ScontrolChanges changes() {
        return new ScontrolChanges(err, config, patience, code -> {
            for (ReservationRefusal c : ReservationRefusal.values()) {
                if (c.wireName().equals(code)) {
                    return c.slurmText();
                }
            }
            return null;
        }, "scontrol show reservation");
    }

    private static List<String> texts(Json array) {
        List<String> out = new ArrayList<>();
        array.forEach(t -> out.add(t.asText()));
        return out;
    }
}
