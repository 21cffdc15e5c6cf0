package dev.cadre.cli;

import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.Credentials;
import dev.cadre.protocol.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The head's secrets, generated on first start and kept (mode 0600) in the data directory.
 *
 * @param keyStorePassword of the key store of the head's TLS listener for nodes ({@link HeadKeyStore})
 */
record HeadSecrets(BrokerUsers users, String execSecret, String keyStorePassword) {
    static final String FILE = "secrets.json";

    static HeadSecrets loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            try {
                HeadSecrets kept = MessageCodec.mapper().readValue(file.toFile(), HeadSecrets.class);
                if (kept.users().exec() != null && kept.keyStorePassword() != null) {
                    return kept;
                }
                // Written by an older head: what it lacks is added, what it has is kept.
                HeadSecrets completed = new HeadSecrets(kept.users().exec() != null ? kept.users()
                        : kept.users().withExec(), kept.execSecret(), kept.keyStorePassword() != null
                        ? kept.keyStorePassword() : Credentials.newSecret());
                completed.write(dataDir);
                return completed;
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IOException(file + " is damaged (" + e.getOriginalMessage()
                        + "); restore it, or remove it to issue new credentials", e);
            }
        }
        HeadSecrets s = new HeadSecrets(BrokerUsers.generate(), Credentials.newSecret(), Credentials.newSecret());
        s.write(dataDir);
        return s;
    }

    private void write(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, MessageCodec.mapper().writeValueAsString(this));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
