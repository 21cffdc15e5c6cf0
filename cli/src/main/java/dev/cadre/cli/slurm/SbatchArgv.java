package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits sbatch words into options and operands like getopt_long with a leading '+' in its option
 * string: scanning stops at the first word that is not an option, so everything from the script
 * path on belongs to the script. Long names may be shortened to any unambiguous prefix (--dep for
 * --dependency). Error texts are glibc getopt's, each followed by sbatch's {@link SbatchCommandLine#TRY_HELP}.
 */
final class SbatchArgv {

    /** An option as written, with its value (null when it takes none or an optional one is absent). */
    record Use(SbatchOption option, String value) {
    }

    record Scanned(List<Use> options, List<String> operands) {
    }

    private SbatchArgv() {
    }

    static Scanned scan(List<String> words) throws SlurmUsageException {
        List<Use> uses = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            String word = words.get(i);
            if (word.equals("--")) {
                i++;
                break;
            }
            if (word.startsWith("--")) {
                i = longOption(words, i, uses);
            } else if (word.startsWith("-") && word.length() > 1) {
                i = shortOptions(words, i, uses);
            } else {
                break;
            }
        }
        return new Scanned(uses, List.copyOf(words.subList(i, words.size())));
    }

    private static int longOption(List<String> words, int i, List<Use> uses) throws SlurmUsageException {
        String word = words.get(i);
        int eq = word.indexOf('=');
        String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
        String value = eq < 0 ? null : word.substring(eq + 1);
        List<SbatchOption> found = SbatchOption.byLongPrefix(name);
        if (found.isEmpty()) {
            throw getoptComplaint("unrecognized option '" + word + "'");
        }
        if (found.size() > 1) {
            StringBuilder names = new StringBuilder();
            for (SbatchOption o : found) {
                names.append(" '").append(o.spelled()).append('\'');
            }
            throw getoptComplaint("option '--" + name + "' is ambiguous; possibilities:" + names);
        }
        SbatchOption option = found.get(0);
        refuseIfUnsupported(option);
        switch (option.arity()) {
            case NONE -> {
                if (value != null) {
                    throw getoptComplaint("option '" + option.spelled() + "' doesn't allow an argument");
                }
            }
            case REQUIRED -> {
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw getoptComplaint("option '" + option.spelled() + "' requires an argument");
                    }
                    value = words.get(++i);
                }
            }
            case OPTIONAL -> {
                // An optional value must be attached with '='; the next word is never taken.
            }
        }
        uses.add(new Use(option, value));
        return i + 1;
    }

    private static int shortOptions(List<String> words, int i, List<Use> uses) throws SlurmUsageException {
        String word = words.get(i);
        for (int j = 1; j < word.length(); j++) {
            char c = word.charAt(j);
            SbatchOption option = SbatchOption.byShortName(c);
            if (option == null) {
                throw getoptComplaint("invalid option -- '" + c + "'");
            }
            refuseIfUnsupported(option);
            if (option.arity() == SbatchOption.Arity.NONE) {
                uses.add(new Use(option, null));
                continue;
            }
            String rest = word.substring(j + 1);
            if (!rest.isEmpty()) {
                uses.add(new Use(option, rest));
            } else if (option.arity() == SbatchOption.Arity.OPTIONAL) {
                uses.add(new Use(option, null));
            } else if (i + 1 < words.size()) {
                uses.add(new Use(option, words.get(++i)));
            } else {
                throw getoptComplaint("option requires an argument -- '" + c + "'");
            }
            break;
        }
        return i + 1;
    }

    private static SlurmUsageException getoptComplaint(String text) {
        return new SlurmUsageException(List.of(text, SbatchCommandLine.TRY_HELP));
    }

    private static void refuseIfUnsupported(SbatchOption option) throws SlurmUsageException {
        if (option.handling() == SbatchOption.Handling.REFUSED) {
            throw new SlurmUsageException(option.spelled() + " is not supported by this Cadre version");
        }
    }
}
