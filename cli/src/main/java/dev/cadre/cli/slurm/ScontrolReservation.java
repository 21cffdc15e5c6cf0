package dev.cadre.cli.slurm;

import dev.cadre.protocol.AdvanceReservation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scontrol create reservation ...} and {@code scontrol update ReservationName=X ...}, read as create_res.c's
 * scontrol_parse_res_options reads them: TAG=VALUE words, each tag any prefix of its name from its least length
 * (ReservationName, StartTime, EndTime, Duration and Users from 1, Flags from 2, Nodes whole), a word "res..." without
 * '=' passed over; the errors are scontrol's lines, ending "No reservation created." or "No reservation update.".
 *
 * @param durationSeconds Duration=, in seconds (UNLIMITED a year, as slurmctld makes it); null when not given
 * @param flags of {@link AdvanceReservation#REQUESTABLE}, Slurm's names; null when not given
 */
public record ScontrolReservation(String name, Instant startTime, Instant endTime, Long durationSeconds,
        String nodes, List<String> users, List<String> flags) {
    private static final String CREATED = "No reservation created.";
    private static final String UPDATED = "No reservation update.";
    /** Slurm's flag names, in the order parse_resv_flags tries them, matched by any prefix. */
    private static final List<String> SLURM_FLAGS = List.of("Maintenance", "Overlap", "Flex", "Ignore_Jobs",
            "Hourly", "Daily", "Weekday", "Weekend", "Weekly", "Any_Nodes", "License_Only", "Static_Alloc",
            "Part_Nodes", "Magnetic", "PURGE_COMP", "First_Cores", "Time_Float", "Replace", "Replace_Down",
            "NO_HOLD_JOBS_AFTER_END");

    /** The request body of POST /api/reservations (or /api/reservations/NAME, without the name). */
    public Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", name);
        b.put("startTime", startTime == null ? null : startTime.toString());
        b.put("endTime", endTime == null ? null : endTime.toString());
        b.put("durationSeconds", durationSeconds);
        b.put("nodes", nodes);
        b.put("users", users);
        b.put("flags", flags);
        b.values().removeIf(v -> v == null);
        return b;
    }

    /** scontrol create reservation: the words after "create". */
    public static ScontrolReservation create(List<String> args, Instant now, ZoneId zone)
            throws SlurmUsageException {
        ScontrolReservation r = parse(args, now, zone, CREATED);
        if (r.startTime == null) {
            throw new SlurmUsageException("scontrol: error: A start time must be given.  " + CREATED);
        }
        if (r.endTime == null && r.durationSeconds == null) {
            throw new SlurmUsageException("scontrol: error: An end time or duration must be given.  " + CREATED);
        }
        if (r.endTime != null && r.durationSeconds != null
                && !r.startTime.plusSeconds(r.durationSeconds).equals(r.endTime)) {
            throw new SlurmUsageException("scontrol: error: StartTime + Duration does not equal EndTime.  "
                    + CREATED);
        }
        if (r.endTime != null && r.startTime.isAfter(r.endTime)) {
            throw new SlurmUsageException("scontrol: error: Start time cannot be after end time.  " + CREATED);
        }
        if (r.nodes == null) {
            throw new SlurmUsageException("scontrol: error: CoreCnt, Nodes, NodeCnt, TRES or Watts must be"
                    + " specified.  " + CREATED);
        }
        if (r.users == null) {
            throw new SlurmUsageException("scontrol: error: Either Users or Accounts must be specified.  "
                    + CREATED);
        }
        return r;
    }

    /** scontrol update ReservationName=X ...: the words after "update". */
    public static ScontrolReservation update(List<String> args, Instant now, ZoneId zone)
            throws SlurmUsageException {
        ScontrolReservation r = parse(args, now, zone, UPDATED);
        if (r.name == null) {
            throw new SlurmUsageException("scontrol: error: Reservation must be given.  " + UPDATED);
        }
        if (r.flags != null) {
            throw new SlurmUsageException("scontrol: error: Flags= in an update is not supported by this Cadre"
                    + " version; delete the reservation and create it again.  " + UPDATED);
        }
        return r;
    }

    /** Whether update's words name a reservation (ReservationName=, from 3 letters), as scontrol's _update_it. */
    public static boolean namesReservation(List<String> args) {
        // A loop, not a stream: every job update asks this, and each lambda is a class a short command loads.
        for (String a : args) {
            if (a.indexOf('=') > 0 && is(a.substring(0, a.indexOf('=')), "ReservationName", 3)) {
                return true;
            }
        }
        return false;
    }

    private static ScontrolReservation parse(List<String> args, Instant now, ZoneId zone, String msg)
            throws SlurmUsageException {
        String name = null;
        Instant start = null;
        Instant end = null;
        Long duration = null;
        String nodes = null;
        List<String> users = null;
        List<String> flags = null;
        for (String word : args) {
            int eq = word.indexOf('=');
            if (eq < 0 && word.regionMatches(true, 0, "res", 0, 3)) {
                continue;
            }
            if (eq <= 0) {
                throw new SlurmUsageException("scontrol: error: Unknown parameter " + word + ".  " + msg);
            }
            String tag = word.substring(0, eq);
            String val = word.substring(eq + 1);
            if (tag.endsWith("+") || tag.endsWith("-")) {
                throw new SlurmUsageException("scontrol: error: " + word + ": adding to or taking from a list (+=, -=)"
                        + " is not supported by this Cadre version; give the whole list.  " + msg);
            }
            if (is(tag, "ReservationName", 1)) {
                name = val;
            } else if (is(tag, "StartTime", 1)) {
                start = time(val, word, "start", now, zone, msg);
            } else if (is(tag, "EndTime", 1)) {
                end = time(val, word, "end", now, zone, msg);
            } else if (is(tag, "Duration", 1)) {
                duration = duration(val, word, msg);
            } else if (is(tag, "Flags", 2)) {
                flags = flags(val, msg);
            } else if (is(tag, "Nodes", 5)) {
                nodes = val;
            } else if (is(tag, "Users", 1)) {
                users = Arrays.stream(val.split(",", -1)).toList();
            } else if (is(tag, "PartitionName", 1)) {
                if (!val.equals("batch")) {
                    throw new SlurmUsageException("scontrol: error: Invalid partition name specified (" + val
                            + "): Cadre's one partition is batch.  " + msg);
                }
            } else if (Arrays.asList("Accounts", "BurstBuffer", "NodeCnt", "NodeCount", "CoreCnt", "CoreCount",
                    "CPUCnt", "CPUCount", "Features", "Licenses", "TRES", "Watts", "Groups", "MaxStartDelay",
                    "Comment").stream().anyMatch(t -> t.equalsIgnoreCase(tag))) {
                throw new SlurmUsageException("scontrol: error: " + tag + "= is not supported by this Cadre version:"
                        + " its reservations keep whole nodes, named with Nodes=, for the Users= named.  " + msg);
            } else {
                throw new SlurmUsageException("scontrol: error: Unknown parameter " + word + ".  " + msg);
            }
        }
        return new ScontrolReservation(name, start, end, duration, nodes, users, flags);
    }

    /** strncasecmp(tag, name, MAX(len(tag), least)) == 0, as scontrol compares its tags. */
    public static boolean is(String tag, String name, int least) {
        return tag.length() >= least && tag.length() <= name.length() && name.regionMatches(true, 0, tag, 0,
                tag.length());
    }

    private static Instant time(String val, String word, String which, Instant now, ZoneId zone, String msg)
            throws SlurmUsageException {
        try {
            return SlurmTime.parseBegin(val, now, zone);
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException("scontrol: error: Invalid " + which + " time " + word + ".  " + msg);
        }
    }

    /** time_str2mins: minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]], or UNLIMITED/INFINITE (a year, as slurmctld). */
    private static Long duration(String val, String word, String msg) throws SlurmUsageException {
        try {
            Long seconds = SlurmTime.parseTimeLimit(val);
            return seconds == null ? AdvanceReservation.UNLIMITED_SECONDS : seconds;
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException("scontrol: error: Invalid duration " + word + ".  " + msg);
        }
    }

    private static List<String> flags(String val, String msg) throws SlurmUsageException {
        List<String> out = new ArrayList<>();
        for (String token : val.split(",")) {
            String t = token.startsWith("+") ? token.substring(1) : token;
            String known = t.isEmpty() || t.startsWith("-") ? null : SLURM_FLAGS.stream()
                    .filter(f -> f.regionMatches(true, 0, t, 0, t.length()) && t.length() <= f.length())
                    .findFirst().orElse(null);
            if (known == null) {
                throw new SlurmUsageException("scontrol: error: Error parsing flags " + val + ".  " + msg);
            }
            String cadre = known.equals("Maintenance") ? AdvanceReservation.MAINT
                    : known.toUpperCase(Locale.ROOT);
            if (!AdvanceReservation.REQUESTABLE.contains(cadre)) {
                throw new SlurmUsageException("scontrol: error: Flags=" + known.toUpperCase(Locale.ROOT) + " is not"
                        + " supported by this Cadre version; it takes " + String.join(", ",
                        AdvanceReservation.REQUESTABLE) + ".  " + msg);
            }
            out.add(cadre);
        }
        return out;
    }
}
