package dev.cadre.node.core;

/** Expands sbatch's filename patterns: %j %x %u %N %A %a %% (and %n, %t as 0 for the batch step). */
public final class OutputPattern {
    private OutputPattern() {
    }

    public static String expand(String pattern, long jobId, String jobName, String user, String firstNode) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            // Slurm allows a zero-padding width between % and the letter, as in %5j.
            int j = i + 1;
            while (j < pattern.length() && Character.isDigit(pattern.charAt(j))) {
                j++;
            }
            if (j >= pattern.length()) {
                out.append(pattern, i, j);
                break;
            }
            int width = j > i + 1 ? Integer.parseInt(pattern.substring(i + 1, j)) : 0;
            String value = switch (pattern.charAt(j)) {
                case 'j', 'A' -> pad(Long.toString(jobId), width);
                case 'a' -> pad("4294967294", width);
                case 'x' -> jobName;
                case 'u' -> user;
                case 'N' -> firstNode;
                case 'n', 't', 's' -> pad("0", width);
                case '%' -> "%";
                default -> null;
            };
            if (value == null) {
                out.append(pattern, i, j + 1);
            } else {
                out.append(value);
            }
            i = j;
        }
        return out.toString();
    }

    private static String pad(String value, int width) {
        return value.length() >= width ? value : "0".repeat(width - value.length()) + value;
    }
}
