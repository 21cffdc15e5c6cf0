package dev.cadre.node.core;

import java.util.List;
import java.util.Set;

/**
 * What mpirun asks of its ssh-like agent: {@code [options] [user@]HOST [options] WORD...}, read as OpenSSH
 * reads it. OpenSSH takes options after the host too, until the first word that is not one; the words from
 * there on are the remote command, joined with single spaces and otherwise kept byte for byte, since the
 * remote shell, not ssh, interprets their quotes and semicolons.
 *
 * @param user from {@code -l}, {@code -o User=} or {@code user@HOST}, the first given; null when none is
 * @param port from {@code -p} or {@code -o Port=}; null when none is
 * @param noInput whether {@code -n} was given: the command's standard input is /dev/null, the agent's left unread
 */
public record RshCommandLine(String host, String user, Integer port, String command, boolean noInput) {
    /** ssh options that take a value, attached ({@code -p22}) or as the next word. */
    private static final Set<Character> WITH_VALUE = Set.of('B', 'b', 'c', 'D', 'E', 'e', 'F', 'I', 'i', 'J',
            'L', 'l', 'm', 'O', 'o', 'P', 'p', 'Q', 'R', 'S', 'W', 'w');
    /** ssh options that stand alone and may be bundled ({@code -qx}). */
    private static final Set<Character> FLAGS = Set.of('1', '2', '4', '6', 'A', 'a', 'C', 'f', 'G', 'g', 'K',
            'k', 'M', 'N', 'n', 'q', 's', 'T', 't', 'V', 'v', 'X', 'x', 'Y', 'y');

    /** Thrown for an argument list that is not a command line ssh would take; the message names the problem. */
    public static final class BadCommandLine extends IllegalArgumentException {
        BadCommandLine(String message) {
            super(message);
        }
    }

    /** @param args the agent's arguments, without the program name (nor the {@code rsh} of {@code cadre rsh}) */
    public static RshCommandLine parse(List<String> args) {
        Reading r = new Reading();
        int i = 0;
        boolean terminated = false;
        while (i < args.size()) {
            String word = args.get(i);
            if (word == null) {
                throw new BadCommandLine("argument " + (i + 1) + " is missing");
            }
            if (!terminated && word.equals("--")) {
                terminated = true;
                i++;
            } else if (!terminated && word.startsWith("-") && word.length() > 1) {
                i = option(args, i, r);
            } else if (r.host == null) {
                r.destination(word);
                i++;
                // OpenSSH reads options again after the host; "--" before the host ended them for good.
            } else {
                break;
            }
        }
        if (r.host == null) {
            throw new BadCommandLine("no host given: expected [options] [user@]HOST COMMAND...");
        }
        if (i >= args.size()) {
            throw new BadCommandLine("no command to run on " + r.host + ": cadre rsh runs commands, not login"
                    + " shells");
        }
        return new RshCommandLine(r.host, r.user, r.port, String.join(" ", args.subList(i, args.size())), r.noInput);
    }

    /** What has been read so far; the first user and port given win, as in OpenSSH. */
    private static final class Reading {
        String host;
        String user;
        Integer port;
        boolean noInput;

        void destination(String word) {
            int at = word.lastIndexOf('@');
            String name = at < 0 ? word : word.substring(at + 1);
            if (at == 0 || name.isEmpty()) {
                throw new BadCommandLine("'" + word + "' is not a host: expected HOST or user@HOST");
            }
            if (at > 0 && user == null) {
                user = word.substring(0, at);
            }
            host = name;
        }

        void port(String value) {
            int p;
            try {
                p = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                p = 0;
            }
            if (p < 1 || p > 65_535) {
                throw new BadCommandLine("bad port '" + value + "': a port is a number from 1 to 65535");
            }
            if (port == null) {
                port = p;
            }
        }

        /** Of -o settings only User and Port change where the command runs; the rest are ssh's own affair. */
        void setting(String value) {
            int split = 0;
            while (split < value.length() && value.charAt(split) != '='
                    && !Character.isWhitespace(value.charAt(split))) {
                split++;
            }
            String key = value.substring(0, split);
            String rest = value.substring(Math.min(split + 1, value.length())).trim();
            if (key.equalsIgnoreCase("Port")) {
                port(rest);
            } else if (key.equalsIgnoreCase("User") && user == null && !rest.isEmpty()) {
                user = rest;
            }
        }
    }

    /** Reads one option word (perhaps bundled flags ending in a valued option); returns the next index. */
    private static int option(List<String> args, int i, Reading r) {
        String word = args.get(i);
        for (int k = 1; k < word.length(); k++) {
            char c = word.charAt(k);
            if (FLAGS.contains(c)) {
                r.noInput |= c == 'n';
                continue;
            }
            if (!WITH_VALUE.contains(c)) {
                throw new BadCommandLine("unknown option -" + c + " in '" + word + "'");
            }
            String value;
            int next = i + 1;
            if (k + 1 < word.length()) {
                value = word.substring(k + 1);
            } else if (next < args.size() && args.get(next) != null) {
                value = args.get(next);
                next++;
            } else {
                throw new BadCommandLine("option -" + c + " needs a value");
            }
            if (c == 'p') {
                r.port(value);
            } else if (c == 'l' && r.user == null) {
                r.user = value;
            } else if (c == 'o') {
                r.setting(value);
            }
            return next;
        }
        return i + 1;
    }
}
