package dev.wharf.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * The environment python3, pip and twine run in: a HOME of their own, no pip configuration file
 * (PIP_CONFIG_FILE=/dev/null), no version check and no keyring, so only what a test passes or
 * writes under that HOME applies.
 */
public final class TestingPip {
  private TestingPip() {}

  public static Map<String, String> environment(Path home) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", home.toString());
    environment.put("PIP_CONFIG_FILE", "/dev/null");
    environment.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    environment.put("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring");
    return environment;
  }
}
