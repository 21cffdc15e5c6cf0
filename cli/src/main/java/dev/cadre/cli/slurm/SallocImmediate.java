package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * salloc's -I/--immediate[=seconds], which sbatch lacks, taken out of salloc's words before sbatch's parser reads
 * them. The words are walked as getopt walks them, so that "-HI5" is -H and -I5, the value of an option is never
 * taken for one ("-J -I" names the job "-I"), and the options end where sbatch's parser ends them. As -I's value is
 * optional, it is attached ("-I60", "--immediate=60") or absent. A long name is -I's when it starts "--immediate"
 * and names no option of salloc's other than it ("--i", "--imm").
 *
 * @param rest the words without -I's
 * @param given whether -I was used
 * @param value the value of its last use, else null
 */
record SallocImmediate(List<String> rest, boolean given, String value) {

    static SallocImmediate takeOut(List<String> words) {
        List<String> rest = new ArrayList<>();
        boolean given = false;
        String value = null;
        int i = 0;
        while (i < words.size()) {
            String word = words.get(i);
            if (word.equals("--") || !word.startsWith("-") || word.length() == 1) {
                break;
            }
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
                if (isImmediate(name)) {
                    given = true;
                    value = eq < 0 ? null : word.substring(eq + 1);
                } else {
                    rest.add(word);
                    List<SbatchOption> found = SbatchOption.byLongPrefix(name);
                    if (eq < 0 && found.size() == 1 && found.get(0).arity() == SbatchOption.Arity.REQUIRED
                            && i + 1 < words.size()) {
                        rest.add(words.get(++i));
                    }
                }
                i++;
                continue;
            }
            StringBuilder kept = new StringBuilder("-");
            boolean valueNext = false;
            for (int j = 1; j < word.length(); j++) {
                char c = word.charAt(j);
                if (c == 'I') {
                    given = true;
                    value = j + 1 < word.length() ? word.substring(j + 1) : null;
                    break;
                }
                SbatchOption option = SbatchOption.byShortName(c);
                if (option == null || option.arity() != SbatchOption.Arity.NONE) {
                    // Its value is the rest of the word, or the next word; an unknown letter is sbatch's to refuse.
                    kept.append(word, j, word.length());
                    valueNext = option != null && j + 1 == word.length()
                            && option.arity() == SbatchOption.Arity.REQUIRED;
                    break;
                }
                kept.append(c);
            }
            if (kept.length() > 1) {
                rest.add(kept.toString());
            }
            if (valueNext && i + 1 < words.size()) {
                rest.add(words.get(++i));
            }
            i++;
        }
        rest.addAll(words.subList(i, words.size()));
        return new SallocImmediate(List.copyOf(rest), given, value);
    }

    /** "--immediate" or a prefix of it that no other option of salloc's has. */
    private static boolean isImmediate(String name) {
        if (name.isEmpty() || !"immediate".startsWith(name)) {
            return false;
        }
        for (SbatchOption o : SbatchOption.byLongPrefix(name)) {
            if (!SallocCommandLine.NOT_SALLOCS.contains(o.longName())) {
                return false;
            }
        }
        return true;
    }
}
