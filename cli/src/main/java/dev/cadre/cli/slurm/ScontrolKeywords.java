package dev.cadre.cli.slurm;

import java.util.List;
import java.util.Map;

/**
 * scontrol's command words and show's entities, read as scontrol reads them (_process_command, _show_it): in
 * Slurm's order, case-insensitive, each shortened to any prefix of at least its least length, so "rel" is release,
 * "wa" wait_job and "de" details, not delete. Slurm compares with xstrncasecmp(typed, word, MAX(len, least)), so a
 * word longer than the keyword never matches, except where Slurm gives a fixed length: any word starting with "hold"
 * holds.
 */
public final class ScontrolKeywords {
    /** @param fixed Slurm compares exactly least characters, whatever was typed */
    private record Word(String name, int least, boolean fixed, String canonical) {
        boolean matches(String typed) {
            int n = fixed ? least : Math.max(typed.length(), least);
            for (int i = 0; i < n; i++) {
                char a = i < typed.length() ? Character.toLowerCase(typed.charAt(i)) : 0;
                char b = i < name.length() ? Character.toLowerCase(name.charAt(i)) : 0;
                if (a != b) {
                    return false;
                }
                if (a == 0) {
                    return true;
                }
            }
            return true;
        }
    }

    private static Word word(String name, int least) {
        return new Word(name, least, false, name);
    }

    private static Word word(String name, int least, String canonical) {
        return new Word(name, least, false, canonical);
    }

    private static Word fixed(String name, int least, String canonical) {
        return new Word(name, least, true, canonical);
    }

    private static final List<Word> COMMANDS = List.of(word("abort", 5), word("all", 2), word("cancel_reboot", 3),
            word("completing", 2), word("cluster", 2), word("create", 2), word("details", 1), word("errnumstr", 2),
            word("errnostr", 2, "errnumstr"), word("exit", 2), word("gethost", 7), word("hash_file", 15),
            word("hash", 9), word("help", 2), word("hide", 2), word("oneliner", 1), word("pidinfo", 3),
            word("ping", 3), fixed("\\q", 2, "quiet"), word("quiet", 4), word("quit", 4), word("reboot_nodes", 3),
            word("reconfigure", 3), word("requeue", 3), fixed("requeuehold", 11, "requeuehold"),
            // scontrol_hold takes a word starting "holdu" as uhold.
            fixed("holdu", 5, "uhold"), fixed("hold", 4, "hold"), fixed("uhold", 5, "uhold"), word("release", 3),
            word("suspend", 2), word("resume", 3), word("top", 3), word("token", 3), word("wait_job", 2),
            word("setdebugflags", 9), word("fsdampeningfactor", 3),
            word("fairsharedampeningfactor", 3, "fsdampeningfactor"), word("setdebug", 2), word("schedloglevel", 3),
            word("show", 3), word("write", 5), word("takeover", 8), word("shutdown", 8), word("update", 1),
            word("delete", 1), word("verbose", 4), word("version", 4), word("listpids", 1), word("getent", 6),
            word("notify", 1), word("callerid", 3));

    private static final List<Word> ENTITIES = List.of(word("aliases", 1), word("bbstat", 2), word("dwstat", 2),
            word("burstbuffer", 2), word("assoc_mgr", 2), word("cache", 2), word("config", 1), word("daemons", 1),
            word("federations", 1), word("frontendname", 1), word("hostnames", 5), word("hostlist", 5),
            word("hostlistsorted", 9), word("jobs", 1, "job"), word("jobid", 1, "job"), word("licenses", 2),
            word("nodes", 1, "node"), word("partitions", 2, "partition"), word("partitionname", 2, "partition"),
            word("reservations", 1, "reservation"), word("reservationname", 1, "reservation"), word("slurmd", 2),
            word("steps", 2), word("topology", 1), word("gres", 1));

    /**
     * Why Cadre has not the commands it leaves out, said after "KEYWORD is not supported by this Cadre version":
     * each is refused by name, never taken for another or for an invalid keyword.
     */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("notify", "Cadre cannot send a message to a job's srun"),
            Map.entry("listpids", "Cadre's nodes do not list a job's processes; sstat shows what they use"),
            Map.entry("pidinfo", "Cadre's nodes do not map process ids to jobs"),
            Map.entry("reboot_nodes", "Cadre does not reboot nodes; drain one with scontrol update NodeName=N"
                    + " State=DRAIN"),
            Map.entry("cancel_reboot", "Cadre does not reboot nodes"),
            Map.entry("reconfigure", "Cadre's head reads its options when it starts; restart it to change them"),
            Map.entry("shutdown", "stop Cadre's head and nodes as they were started (cadre up, cadre server,"
                    + " cadre node)"),
            Map.entry("abort", "stop Cadre's head as it was started"),
            Map.entry("takeover", "Cadre has no backup controller"),
            Map.entry("token", "Cadre's REST API takes the token in the client file that 'cadre up' wrote"),
            Map.entry("cluster", "Cadre serves one cluster"),
            Map.entry("completing", "squeue -t CG lists the completing jobs"),
            Map.entry("setdebug", "Cadre's logging is set when its daemons start"),
            Map.entry("setdebugflags", "Cadre's logging is set when its daemons start"),
            Map.entry("schedloglevel", "Cadre's logging is set when its daemons start"),
            Map.entry("fsdampeningfactor", "Cadre's priority has no fair-share factor"),
            Map.entry("errnumstr", "Cadre's errors are reported as text"),
            Map.entry("gethost", "Cadre has no node name aliases"),
            Map.entry("getent", "Cadre does not resolve users for jobs"),
            Map.entry("callerid", "Cadre does not track connections to jobs"),
            Map.entry("hash", "Cadre has no hash plugins"),
            Map.entry("hash_file", "Cadre has no hash plugins"));

    private ScontrolKeywords() {
    }

    /** @return the command the word names ("uhold" for "holdu"), or null: Slurm's "invalid keyword: WORD" */
    public static String command(String typed) {
        return find(COMMANDS, typed);
    }

    /** @return show's entity the word names ("job", "node", "partition", "hostlist", ...), or null: invalid */
    public static String entity(String typed) {
        return find(ENTITIES, typed);
    }

    /** @return the one-line refusal of a command Cadre leaves out, or null for one it has */
    public static String refusal(String command) {
        String why = REFUSED.get(command);
        return why == null ? null : "scontrol: error: " + command + " is not supported by this Cadre version: " + why;
    }

    private static String find(List<Word> words, String typed) {
        for (Word w : words) {
            if (w.matches(typed)) {
                return w.canonical();
            }
        }
        return null;
    }
}
