package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * A command line read as glibc's getopt_long reads it for Slurm's client commands: bundled short options,
 * attached values ("-t00:10", "-oFMT"), "--name=value" and "--name value", unambiguous prefixes of long names,
 * operands anywhere (getopt permutes them to the end) and "--" ending the options. Errors carry glibc's text
 * and Slurm's hint, each line starting with the command's name.
 */
public final class Getopt {

    public enum Arity { NONE, REQUIRED, OPTIONAL }

    /**
     * One option.
     *
     * @param shortName 0 when it has none
     * @param key what a use of it is reported as; options that share a key (--user and --users) are one option
     */
    public record Option(String longName, char shortName, Arity arity, String key) {
        public static Option flag(String longName, char shortName) {
            return new Option(longName, shortName, Arity.NONE, longName);
        }

        public static Option value(String longName, char shortName) {
            return new Option(longName, shortName, Arity.REQUIRED, longName);
        }

        public static Option optional(String longName, char shortName) {
            return new Option(longName, shortName, Arity.OPTIONAL, longName);
        }

        /** Another long name for an option, with its key. */
        public Option alias(String otherName) {
            return new Option(otherName, shortName, arity, key);
        }
    }

    /** An option as used: its key and value (null for none, or an optional value not given). */
    public record Use(String key, String value) {
    }

    public record Parsed(List<Use> uses, List<String> operands) {
        public boolean has(String key) {
            for (Use u : uses) {
                if (u.key().equals(key)) {
                    return true;
                }
            }
            return false;
        }

        /** The value of the last use of the option, or null. */
        public String last(String key) {
            String v = null;
            for (Use u : uses) {
                if (u.key().equals(key)) {
                    v = u.value();
                }
            }
            return v;
        }
    }

    private final String command;
    private final List<Option> options;
    private final boolean inOrder;

    public Getopt(String command, List<Option> options) {
        this(command, options, false);
    }

    /**
     * @param inOrder options end at the first operand, as with a '+' at the head of getopt's option string: the
     *        rest is a command and its own arguments (srun, sbatch)
     */
    public Getopt(String command, List<Option> options, boolean inOrder) {
        this.command = command;
        this.options = List.copyOf(options);
        this.inOrder = inOrder;
    }

    public Parsed parse(List<String> args) throws SlurmUsageException {
        List<Use> uses = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (word.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (word.startsWith("--")) {
                i = longOption(args, i, uses);
            } else if (word.startsWith("-") && word.length() > 1) {
                i = shortOptions(args, i, uses);
            } else if (inOrder) {
                operands.addAll(args.subList(i, args.size()));
                break;
            } else {
                operands.add(word);
            }
        }
        return new Parsed(uses, operands);
    }

    private int longOption(List<String> args, int i, List<Use> uses) throws SlurmUsageException {
        String word = args.get(i);
        int eq = word.indexOf('=');
        String given = eq < 0 ? word.substring(2) : word.substring(2, eq);
        String value = eq < 0 ? null : word.substring(eq + 1);
        Option o = byLongName(given, word);
        switch (o.arity()) {
            case NONE -> {
                if (value != null) {
                    throw complaint("option '--" + o.longName() + "' doesn't allow an argument");
                }
            }
            case REQUIRED -> {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw complaint("option '--" + o.longName() + "' requires an argument");
                    }
                    value = args.get(++i);
                }
            }
            case OPTIONAL -> {
                // An optional value must be attached with '='; the next word is never taken.
            }
        }
        uses.add(new Use(o.key(), value));
        return i;
    }

    private int shortOptions(List<String> args, int i, List<Use> uses) throws SlurmUsageException {
        String word = args.get(i);
        for (int j = 1; j < word.length(); j++) {
            char c = word.charAt(j);
            Option o = byShortName(c);
            if (o == null) {
                throw complaint("invalid option -- '" + c + "'");
            }
            if (o.arity() == Arity.NONE) {
                uses.add(new Use(o.key(), null));
                continue;
            }
            String rest = word.substring(j + 1);
            if (!rest.isEmpty()) {
                uses.add(new Use(o.key(), rest));
            } else if (o.arity() == Arity.OPTIONAL) {
                uses.add(new Use(o.key(), null));
            } else if (i + 1 < args.size()) {
                uses.add(new Use(o.key(), args.get(++i)));
            } else {
                throw complaint("option requires an argument -- '" + c + "'");
            }
            break;
        }
        return i;
    }

    private Option byShortName(char c) {
        for (Option o : options) {
            if (o.shortName() == c) {
                return o;
            }
        }
        return null;
    }

    /** An exact name, else the one option every name starting so stands for; glibc names the rest ambiguous. */
    private Option byLongName(String given, String word) throws SlurmUsageException {
        List<Option> candidates = new ArrayList<>();
        for (Option o : options) {
            if (o.longName().equals(given)) {
                return o;
            }
            if (!given.isEmpty() && o.longName().startsWith(given)) {
                candidates.add(o);
            }
        }
        if (candidates.isEmpty()) {
            throw complaint("unrecognized option '" + word + "'");
        }
        Option first = candidates.get(0);
        for (Option o : candidates) {
            if (!o.key().equals(first.key()) || o.arity() != first.arity()) {
                StringBuilder names = new StringBuilder();
                candidates.forEach(c -> names.append(" '--").append(c.longName()).append("'"));
                throw complaint("option '--" + given + "' is ambiguous; possibilities:" + names);
            }
        }
        return first;
    }

    private SlurmUsageException complaint(String text) {
        return new SlurmUsageException(List.of(command + ": " + text,
                "Try \"" + command + " --help\" for more information"));
    }
}
