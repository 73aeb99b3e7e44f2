package dev.wharf.server;

import dev.wharf.crypto.MasterKey;
import dev.wharf.crypto.RandomIds;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.identity.Account;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.IdentityStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * First-start work: check that the master key matches the database, and create the management
 * account with its root access key, written to {@code <data>/credentials} (mode 0600).
 */
final class Bootstrap {
  static final String MASTER_KEY_CHECK = "master-key-check";
  static final String MANAGEMENT_ACCOUNT = "management-account";
  private static final String CHECK_CONTEXT = "wharf-master-key-check";
  private static final String CHECK_PLAINTEXT = "wharf";

  private Bootstrap() {}

  /** Refuses to run with a master key other than the one the database was created with. */
  static void checkMasterKey(IdentityStore store, SecretCipher cipher, MasterKey key) {
    String stored = store.putSettingIfAbsent(MASTER_KEY_CHECK, cipher.encrypt(CHECK_PLAINTEXT, CHECK_CONTEXT));
    try {
      cipher.decryptString(stored, CHECK_CONTEXT);
    } catch (SecretCipher.DecryptionException e) {
      throw new IllegalStateException("The master key (" + key.source() + ") is not the one this database was created"
          + " with. Start with the original key (WHARF_MASTER_KEY or the master.key file); refusing to run rather"
          + " than make secrets unreadable.");
    }
  }

  /** Creates the management account on the very first start; returns empty on later starts. */
  static Optional<FirstStart> createManagementAccount(IdentityService identity, IdentityStore store, Path dataDirectory,
      Optional<String> requestedAccountId, String region) throws IOException {
    if (!store.listAccounts().isEmpty()) {
      return Optional.empty();
    }
    // Nodes of a cluster starting together agree on one id first (the first claim wins), so exactly one
    // of them creates the account; the others fail on its key and return empty.
    String accountId = store.putSettingIfAbsent(MANAGEMENT_ACCOUNT,
        requestedAccountId.orElseGet(RandomIds::accountId));
    IdentityService.NewAccessKey key;
    try {
      key = identity.createAccount(accountId, "management", true);
    } catch (RuntimeException raced) {
      if (store.listAccounts().stream().anyMatch(Account::management)) {
        return Optional.empty();
      }
      throw raced;
    }
    Path credentials = dataDirectory.resolve("credentials");
    MasterKey.SecretFiles.write(credentials, "[default]\n"
        + "aws_access_key_id = " + key.key().accessKeyId() + "\n"
        + "aws_secret_access_key = " + key.secretAccessKey() + "\n");
    Path config = dataDirectory.resolve("config");
    MasterKey.SecretFiles.write(config, "[default]\nregion = " + region + "\n");
    return Optional.of(new FirstStart(accountId, key.key().accessKeyId(), credentials, config));
  }
}
