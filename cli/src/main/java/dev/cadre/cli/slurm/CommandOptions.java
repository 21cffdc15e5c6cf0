package dev.cadre.cli.slurm;

import java.io.PrintStream;

/**
 * The options of a Slurm command once read: either the options to act on, or how the command ends before
 * acting, having printed its help (exit 0) or its usage error (exit 1, or what Slurm exits with).
 *
 * @param exit null when the command goes on with {@code options}
 */
public record CommandOptions<T extends CommandOptions.WithHelp>(T options, Integer exit) {
    /** What every Slurm command prints for --version: the Slurm release whose commands these follow. */
    public static final String VERSION = "slurm 23.11.0 (cadre)\n";

    /** Options that may ask for a text (--help, --usage, --version) instead of the command's work. */
    public interface WithHelp {
        /** The text to print instead of acting, or null. */
        String help();
    }

    /** How a command line is read. */
    public interface Reader<T> {
        T read() throws SlurmUsageException;
    }

    public static <T extends WithHelp> CommandOptions<T> read(Reader<T> reader, PrintStream out, PrintStream err) {
        T options;
        try {
            options = reader.read();
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return new CommandOptions<>(null, e.exitCode());
        }
        if (options.help() != null) {
            out.print(options.help());
            return new CommandOptions<>(null, 0);
        }
        return new CommandOptions<>(options, null);
    }
}
