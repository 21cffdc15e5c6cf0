package dev.cadre.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.db.AnsweredRequests;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Recognises a control request carried out before (docs/protocol.md 7.7): by the client's requestId, or, without
 * one, by the id the broker stamped on the message, which a redelivery after a crash keeps. Its first answer is
 * given again and nothing is applied twice. Used under the core's lock, the only place answers are stored from.
 */
final class RepeatedRequests {
    private final AnsweredRequests store;
    private final Clock clock;

    RepeatedRequests(AnsweredRequests store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Who a request is, for this ledger: its scoped key and what it asks. */
    record Identity(String key, String fingerprint) {
    }

    /**
     * @param stamp the broker's intake id of the message, or null
     * @return null for a request this ledger does not keep (not a control request, or one with neither id)
     */
    static Identity identify(ClientRequest request, String stamp) {
        if (!(request instanceof ControlRequest control)) {
            return null;
        }
        // A client's id and a broker's stamp never meet, whatever either holds.
        String key = control.requestId() != null ? "c:" + control.requestId() : stamp != null ? "s:" + stamp : null;
        return key == null ? null : new Identity(key, fingerprint(control));
    }

    /**
     * The first answer when the request was carried out before; when the id came with another request, a refusal
     * saying so (answering with the other's answer would tell the client something false); else empty.
     */
    Optional<ClientReply> earlier(Identity id, ClientRequest request) {
        Optional<AnsweredRequests.Answered> found = store.find(id.key(), clock.instant());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!found.get().fingerprint().equals(id.fingerprint())) {
            return Optional.of(ControlRequests.refusal(request, "requestId "
                    + ((ControlRequest) request).requestId() + " was given to another request already, at "
                    + found.get().at() + "; nothing was changed: give each request an id of its own"));
        }
        return Optional.of(found.get().answer());
    }

    /** The request's type and fields but its id, hashed: equal exactly when two copies ask the same. */
    private static String fingerprint(ControlRequest request) {
        ObjectNode fields = MessageCodec.mapper().valueToTree(request);
        fields.remove("requestId");
        if (request instanceof ControlRequest.CancelJob c && c.user() == null) {
            // A cancel-job without a user hashes as one did before the field existed: a copy of one answered by an
            // earlier head, sent again after an upgrade, is still the same request.
            fields.remove("user");
        }
        if (request instanceof ControlRequest.UpdateJob) {
            // Likewise an update-job without the fields added since (arrayTaskThrottle, beginTime, dependency,
            // deadline, mailType, mailUser, reservation).
            for (String added : new String[] {"arrayTaskThrottle", "beginTime", "dependency", "deadline", "mailType",
                "mailUser",
                "reservation"}) {
                if (fields.path(added).isNull()) {
                    fields.remove(added);
                }
            }
        }
        fields.put("type", MessageCodec.typeName(request));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(fields.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
