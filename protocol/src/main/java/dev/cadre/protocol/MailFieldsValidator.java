package dev.cadre.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A spec's mail fields. The recipient becomes an argument of the head's mail program, so it is held to a narrow
 * alphabet: no blank, no shell or control character, no leading '-' that the program would read as an option.
 */
final class MailFieldsValidator {
    /** The longest address SMTP carries. */
    static final int MAX_MAIL_USER = 254;
    private static final Pattern MAIL_USER = Pattern.compile("[A-Za-z0-9_.+=%@][A-Za-z0-9_.+=%@-]*");

    private MailFieldsValidator() {
    }

    static void check(List<JobSpecValidator.Problem> problems, JobSpec spec) {
        check(problems, "spec.", spec.mailType(), spec.mailUser());
    }

    /**
     * The rules for mail fields wherever they come, a spec's or an update-job's.
     *
     * @param prefix what the fields' names start with in the problems: "spec." for a spec's
     */
    static void check(List<JobSpecValidator.Problem> problems, String prefix, List<String> types, String user) {
        if (types != null) {
            if (types.isEmpty() || types.size() > MailType.values().length) {
                problems.add(new JobSpecValidator.Problem(prefix + "mailType", "must list 1 to "
                        + MailType.values().length + " types"));
            } else {
                for (int i = 0; i < types.size(); i++) {
                    if (MailType.named(types.get(i)) == null) {
                        problems.add(new JobSpecValidator.Problem(prefix + "mailType[" + i + "]", "'"
                                + (types.get(i) == null ? "null" : JobSpecValidator.printable(types.get(i)))
                                + "' is not a mail type; use one of " + Arrays.toString(MailType.values())));
                    }
                }
                if (types.size() > 1 && types.contains(MailType.NONE.name())) {
                    problems.add(new JobSpecValidator.Problem(prefix + "mailType",
                            "NONE must be the only type given"));
                }
            }
        }
        if (user != null && (user.length() > MAX_MAIL_USER || !MAIL_USER.matcher(user).matches())) {
            problems.add(new JobSpecValidator.Problem(prefix + "mailUser", "must be a mail address or user name of 1"
                    + " to " + MAX_MAIL_USER + " letters, digits and '_ . + = % @ -', not starting with '-'"));
        }
    }
}
