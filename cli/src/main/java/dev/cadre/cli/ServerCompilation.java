package dev.cadre.cli;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * Adds the servers' compiler directives (bin/server-compilation.json, named by bin/cadre in the system property
 * {@code cadre.compilerDirectives}) through HotSpot's diagnostic command rather than {@code
 * -XX:CompilerDirectivesFile}, which prints a notice on the process's own output that users and scripts would read as
 * the command's.
 */
final class ServerCompilation {
    static final String PROPERTY = "cadre.compilerDirectives";

    private ServerCompilation() {
    }

    /** Adds them, if named; a JVM that cannot (not HotSpot) runs on its default policy, as it says on stderr. */
    static void apply() {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Object said = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file}}, new String[] {String[].class.getName()});
            if (!String.valueOf(said).contains("compiler directives added")) {
                System.err.println("cadre: the compiler directives in " + file + " were not added: "
                        + String.valueOf(said).strip() + "; the JVM's default compilation policy applies");
            }
        } catch (Exception | LinkageError e) {
            System.err.println("cadre: the compiler directives in " + file + " were not added (" + e
                    + "); the JVM's default compilation policy applies");
        }
    }
}
