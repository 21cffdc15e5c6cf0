package dev.cadre.protocol;

import java.util.List;

/**
 * What a signal-job's {@code signal} may be: a name kill(1) knows, without SIG (the protocol's form; SIGUSR1 is
 * taken too), or a number from 1 to 64. Checked before anything is sent, so that a node is never asked for a signal
 * it cannot send and no caller is told a signal went when kill(1) refused it. One table for the scheduler's check,
 * scancel's and the node's, so that none of them takes what another refuses.
 */
public final class SignalNames {
    /** Linux's signals, in the order of their numbers (kill -l), 1 to 31; the real-time ones go by number. */
    private static final List<String> NAMES = List.of(("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE"
            + " ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS").split(" "));
    private static final int MAX_NUMBER = 64;
    /** Enough of a bad value to recognise it; a hostile one is not echoed whole. */
    private static final int SHOWN = 40;

    private SignalNames() {
    }

    /** Whether the name, without SIG, is one of Linux's signals 1 to 31. */
    public static boolean isName(String name) {
        return NAMES.contains(name);
    }

    /** Why the value cannot be sent as a signal, naming the field; null when it can. */
    public static String problem(String signal) {
        if (signal == null || signal.isEmpty()) {
            return "signal: is required: a signal name such as USR1 or a number from 1 to " + MAX_NUMBER;
        }
        String name = signal.startsWith("SIG") ? signal.substring(3) : signal;
        if (NAMES.contains(name) || isNumber(name)) {
            return null;
        }
        String shown = signal.length() > SHOWN ? signal.substring(0, SHOWN) + "..." : signal;
        return "signal: '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not a signal; use a name without SIG ("
                + String.join(", ", NAMES) + ") or a number from 1 to " + MAX_NUMBER + "; nothing was sent";
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 2 && s.chars().allMatch(c -> c >= '0' && c <= '9')
                && Integer.parseInt(s) >= 1 && Integer.parseInt(s) <= MAX_NUMBER;
    }
}
