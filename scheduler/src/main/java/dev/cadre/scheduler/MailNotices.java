package dev.cadre.scheduler;

import dev.cadre.scheduler.core.JobMail;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the scheduler hands the mails its stored changes call for: to the head's {@link MailSender}, or nowhere
 * while the head sends no mail, in which case they are not even decided. Mail is news, not state: a fault in
 * deciding it is logged, and the scheduler goes on.
 */
final class MailNotices {
    /** The service's to report, under its name, as before the mail had a class of its own. */
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    /** Null while the head sends no mail; set before the service starts, so its threads see it. */
    private MailSender sender;

    void sendThrough(MailSender mailSender) {
        sender = mailSender;
    }

    /** Under the core's lock, after the change the notices tell of is stored. */
    void send(Supplier<List<JobMail.Notice>> notices) {
        if (sender != null) {
            try {
                sender.send(notices.get());
            } catch (RuntimeException e) {
                LOG.error("job mail could not be decided; none sent for this change", e);
            }
        }
    }

    /**
     * Under the core's lock: the time-limit mails due, sent only once the marks that they were sent are stored, so
     * that a restarted head mails none of them again. When the marks cannot be stored, the mails are dropped.
     */
    void sendTimeLimitMail(Supplier<JobMail.TimeLimitMail> decide, Consumer<List<JobMail.SharesMailed>> store) {
        if (sender == null) {
            return;
        }
        JobMail.TimeLimitMail due;
        try {
            due = decide.get();
        } catch (RuntimeException e) {
            LOG.error("time-limit mail could not be decided; none sent in this pass", e);
            return;
        }
        try {
            if (!due.marks().isEmpty()) {
                store.accept(due.marks());
            }
        } catch (RuntimeException e) {
            LOG.error("the time-limit shares mailed could not be stored; " + due.notices().size()
                    + " time-limit mail(s) dropped", e);
            return;
        }
        sender.send(due.notices());
    }

    /** Lets the mails under way finish for a moment ({@link MailSender#close}). */
    void close() throws InterruptedException {
        if (sender != null) {
            sender.close();
        }
    }
}
