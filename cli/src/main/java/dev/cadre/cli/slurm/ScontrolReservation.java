package dev.cadre.cli.slurm;

import dev.cadre.protocol.AdvanceReservation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scontrol create reservation ...} and {@code scontrol update ReservationName=X ...}, read as create_res.c's
 * scontrol_parse_res_options reads them: TAG=VALUE words, each tag any prefix of its name from its least length
 * (ReservationName, StartTime, EndTime, Duration and Users from 1, Flags from 2, Nodes, NodeCnt and NodeCount from
 * 5), a word "res..." without '=' passed over; the errors are scontrol's lines, ending "No reservation created." or
 * "No reservation update.". In an update, Users+=, Users-=, Nodes+=, Nodes-=, Flags+= and Flags-= change a list
 * (_process_plus_minus), and Flags= adds as Flags+= does (slurmctld's update_resv adds the flags it is given);
 * parse_resv_flags reads a "+" or "-" before a flag as applying to it and the flags after it.
 *
 * @param durationSeconds Duration=, in seconds (UNLIMITED a year, as slurmctld makes it); null when not given
 * @param nodeCount NodeCnt=: how many nodes the head is to choose; null when not given
 * @param flags of {@link AdvanceReservation#REQUESTABLE}, Slurm's names, for a create; null when not given
 * @param addFlags the flags an update adds (Flags=, Flags+=); null when none
 * @param removeFlags the flags an update takes away (Flags-=); null when none
 */
public record ScontrolReservation(String name, Instant startTime, Instant endTime, Long durationSeconds,
        String nodes, Integer nodeCount, List<String> users, List<String> flags, List<String> addUsers,
        List<String> removeUsers, String addNodes, String removeNodes, List<String> addFlags,
        List<String> removeFlags) {
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
        b.put("nodeCount", nodeCount);
        b.put("users", users);
        b.put("flags", flags);
        b.put("addUsers", addUsers);
        b.put("removeUsers", removeUsers);
        b.put("addNodes", addNodes);
        b.put("removeNodes", removeNodes);
        b.put("addFlags", addFlags);
        b.put("removeFlags", removeFlags);
        b.values().removeIf(v -> v == null);
        return b;
    }

    /** scontrol create reservation: the words after "create". */
    public static ScontrolReservation create(List<String> args, Instant now, ZoneId zone)
            throws SlurmUsageException {
        ScontrolReservation r = parse(args, now, zone, CREATED);
        if (r.addUsers != null || r.removeUsers != null || r.addNodes != null || r.removeNodes != null
                || r.removeFlags != null) {
            throw new SlurmUsageException("scontrol: error: +=, -= and a flag after \"-\" change an existing"
                    + " reservation; give Users=, Nodes= and Flags= with what it is to have.  " + CREATED);
        }
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
        if (r.nodes == null && r.nodeCount == null) {
            throw new SlurmUsageException("scontrol: error: CoreCnt, Nodes, NodeCnt, TRES or Watts must be"
                    + " specified.  " + CREATED);
        }
        if (r.nodes != null && r.nodeCount != null) {
            throw new SlurmUsageException("scontrol: error: give Nodes= or NodeCnt=, not both: Cadre takes the nodes"
                    + " named or chooses that many.  " + CREATED);
        }
        if (r.addFlags != null) {
            // Flags+= in a create asks for the flags, as parse_resv_flags reads "+FLAG".
            return new ScontrolReservation(r.name, r.startTime, r.endTime, r.durationSeconds, r.nodes, r.nodeCount,
                    r.users, r.flags == null ? r.addFlags : concat(r.flags, r.addFlags), null, null, null, null, null,
                    null);
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
        if (r.nodeCount != null) {
            throw new SlurmUsageException("scontrol: error: NodeCnt= in an update is not supported by this Cadre"
                    + " version; give Nodes=, Nodes+= or Nodes-=.  " + UPDATED);
        }
        // Flags= in an update adds, as update_resv takes each flag it is given.
        List<String> added = r.flags == null ? r.addFlags : r.addFlags == null ? r.flags
                : concat(r.addFlags, r.flags);
        return new ScontrolReservation(r.name, r.startTime, r.endTime, r.durationSeconds, r.nodes, null, r.users, null,
                r.addUsers, r.removeUsers, r.addNodes, r.removeNodes, added, r.removeFlags);
    }

    /**
     * Whether update's words name a reservation to update (ReservationName=, from 3 letters), as scontrol's _update_it
     * tells: words naming a job (JobId) update the job, whose ReservationName= moves it into a reservation.
     */
    public static boolean namesReservation(List<String> args) {
        boolean reservation = false;
        // A loop, not a stream: every job update asks this, and each lambda is a class a short command loads.
        for (String a : args) {
            int eq = a.indexOf('=');
            String tag = eq < 0 ? a : a.substring(0, eq);
            if (is(tag, "JobId", 3)) {
                return false;
            }
            reservation |= eq > 0 && is(tag, "ReservationName", 3);
        }
        return reservation;
    }

    private static ScontrolReservation parse(List<String> args, Instant now, ZoneId zone, String msg)
            throws SlurmUsageException {
        Map<String, Object> v = new HashMap<>();
        for (String word : args) {
            int eq = word.indexOf('=');
            if (eq < 0 && word.regionMatches(true, 0, "res", 0, 3)) {
                continue;
            }
            if (eq <= 0) {
                throw new SlurmUsageException("scontrol: error: Unknown parameter " + word + ".  " + msg);
            }
            char sign = word.charAt(eq - 1) == '+' || word.charAt(eq - 1) == '-' ? word.charAt(eq - 1) : 0;
            String tag = word.substring(0, sign == 0 ? eq : eq - 1);
            String val = word.substring(eq + 1);
            if (sign != 0 && !is(tag, "Users", 1) && !is(tag, "Nodes", 5) && !is(tag, "Flags", 2)) {
                throw new SlurmUsageException("scontrol: error: The +=/-= notation is not supported when updating "
                        + tag + ".  " + msg);
            }
            if (is(tag, "ReservationName", 1)) {
                v.put("name", val);
            } else if (is(tag, "StartTime", 1)) {
                v.put("start", time(val, word, "start", now, zone, msg));
            } else if (is(tag, "EndTime", 1)) {
                v.put("end", time(val, word, "end", now, zone, msg));
            } else if (is(tag, "Duration", 1)) {
                v.put("duration", duration(val, word, msg));
            } else if (is(tag, "Flags", 2)) {
                flags(val, sign, msg, v);
            } else if (is(tag, "NodeCnt", 5) || is(tag, "NodeCount", 5)) {
                v.put("nodeCount", nodeCount(val, word, msg));
            } else if (is(tag, "Nodes", 5)) {
                v.put(sign == '+' ? "addNodes" : sign == '-' ? "removeNodes" : "nodes", val);
            } else if (is(tag, "Users", 1)) {
                v.put(sign == '+' ? "addUsers" : sign == '-' ? "removeUsers" : "users",
                        Arrays.stream(val.split(",", -1)).toList());
            } else if (is(tag, "PartitionName", 1)) {
                if (!val.equals("batch")) {
                    throw new SlurmUsageException("scontrol: error: Invalid partition name specified (" + val
                            + "): Cadre's one partition is batch.  " + msg);
                }
            } else if (Arrays.asList("Accounts", "BurstBuffer", "CoreCnt", "CoreCount", "CPUCnt", "CPUCount",
                    "Features", "Licenses", "TRES", "Watts", "Groups", "MaxStartDelay", "Comment").stream()
                    .anyMatch(t -> t.equalsIgnoreCase(tag))) {
                throw new SlurmUsageException("scontrol: error: " + tag + "= is not supported by this Cadre version:"
                        + " its reservations keep whole nodes, named with Nodes= or counted with NodeCnt=, for the"
                        + " Users= named.  " + msg);
            } else {
                throw new SlurmUsageException("scontrol: error: Unknown parameter " + word + ".  " + msg);
            }
        }
        return new ScontrolReservation((String) v.get("name"), (Instant) v.get("start"), (Instant) v.get("end"),
                (Long) v.get("duration"), (String) v.get("nodes"), (Integer) v.get("nodeCount"), list(v, "users"),
                list(v, "flags"), list(v, "addUsers"), list(v, "removeUsers"), (String) v.get("addNodes"),
                (String) v.get("removeNodes"), list(v, "addFlags"), list(v, "removeFlags"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> v, String key) {
        return (List<String>) v.get(key);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        b.stream().filter(f -> !out.contains(f)).forEach(out::add);
        return out;
    }

    /** parse_resv_nodecnt for one partition: a whole number of nodes, with k or m for thousands or millions. */
    private static Integer nodeCount(String val, String word, String msg) throws SlurmUsageException {
        try {
            long mult = val.endsWith("k") || val.endsWith("K") ? 1024 : val.endsWith("m") || val.endsWith("M")
                    ? 1024 * 1024 : 1;
            long n = Long.parseLong(mult == 1 ? val : val.substring(0, val.length() - 1)) * mult;
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new SlurmUsageException("scontrol: error: Invalid node count " + word + ".  " + msg);
        }
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

    /**
     * parse_resv_flags: flags by any prefix, each taken as asked (Flags=, Flags+=) or taken away (Flags-=, or after a
     * "-" within the value, which holds for the flags after it until a "+"); "-OVERLAP" is no flag, as in Slurm.
     */
    private static void flags(String val, char sign, String msg, Map<String, Object> v) throws SlurmUsageException {
        char op = sign;
        for (String token : val.split(",")) {
            String t = token;
            if (t.startsWith("+") || t.startsWith("-")) {
                op = t.charAt(0);
                t = t.substring(1);
            }
            String word = t;
            String known = word.isEmpty() ? null : SLURM_FLAGS.stream()
                    .filter(f -> f.regionMatches(true, 0, word, 0, word.length()) && word.length() <= f.length())
                    .findFirst().orElse(null);
            if (known == null || op == '-' && (known.equals("Overlap") || known.startsWith("NO_HOLD"))) {
                throw new SlurmUsageException("scontrol: error: Error parsing flags " + val + ".  " + msg);
            }
            String cadre = known.equals("Maintenance") ? AdvanceReservation.MAINT
                    : known.toUpperCase(Locale.ROOT);
            if (!AdvanceReservation.REQUESTABLE.contains(cadre)) {
                throw new SlurmUsageException("scontrol: error: Flags=" + known.toUpperCase(Locale.ROOT) + " is not"
                        + " supported by this Cadre version; it takes " + String.join(", ",
                        AdvanceReservation.REQUESTABLE) + ".  " + msg);
            }
            String key = op == '-' ? "removeFlags" : op == '+' ? "addFlags" : "flags";
            @SuppressWarnings("unchecked")
            List<String> into = (List<String>) v.computeIfAbsent(key, k -> new ArrayList<String>());
            if (!into.contains(cadre)) {
                into.add(cadre);
            }
        }
    }
}
