package dev.wharf.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The command that makes a virtual environment at {@code venv} without a pip of its own: ensurepip copies and
   * compiles pip into every environment, about 3 s of CPU each; {@link #pip} runs the machine's pip into it instead.
   */
  public static List<String> makeVenv(Path venv) {
    return List.of("python3", "-m", "venv", "--without-pip", venv.toString());
  }

  /** pip acting on the environment {@code venv} (pip's {@code --python}, pip 22.3 and later), with these arguments. */
  public static List<String> pip(Path venv, String... arguments) {
    List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "--python",
        venv.resolve("bin/python").toString()));
    command.addAll(List.of(arguments));
    return command;
  }
}
