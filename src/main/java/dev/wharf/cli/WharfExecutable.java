package dev.wharf.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The command that runs this wharf again, for the tools that call it back (cargo's credential provider). */
final class WharfExecutable {
  private WharfExecutable() {}

  /** The ./wharf launcher of this checkout, else java -jar the jar, else java with this JVM's class path. */
  static List<String> command() {
    Path codeSource;
    try {
      codeSource = Path.of(WharfCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      throw new IllegalStateException("cannot tell where wharf runs from", e);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return command(codeSource, java, System.getProperty("java.class.path"));
  }

  /**
   * The launcher when the code runs from its target/wharf.jar (the launcher finds a JDK and rebuilds
   * when the sources changed, as when the user runs it), else this java with the jar or class path.
   */
  static List<String> command(Path codeSource, Path java, String classPath) {
    Path jar = codeSource.toAbsolutePath().normalize();
    if (Files.isRegularFile(jar)) {
      Path folder = jar.getParent();
      Path launcher = folder.resolveSibling("wharf");
      if (jar.getFileName().toString().equals("wharf.jar") && folder.getFileName().toString().equals("target")
          && Files.isRegularFile(launcher) && Files.isExecutable(launcher)) {
        return List.of(launcher.toString());
      }
      return List.of(java.toString(), "-jar", jar.toString());
    }
    return List.of(java.toString(), "-cp", classPath, WharfCommand.class.getName());
  }

  /**
   * Where wharf-keyring is: clients/python/wharf-keyring of the checkout this wharf runs from (its jar or classes are
   * under target/), else that path as the source tree names it.
   */
  static String keyringPackage() {
    String relative = "clients/python/wharf-keyring";
    try {
      Path folder = Path.of(WharfCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (int up = 0; up < 3 && folder != null; up++, folder = folder.getParent()) {
        if (Files.isRegularFile(folder.resolve(relative).resolve("pyproject.toml"))) {
          return folder.resolve(relative).toAbsolutePath().normalize().toString();
        }
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // fall through to the source tree's path
    }
    return "./" + relative + " (of Wharf's source)";
  }
}
