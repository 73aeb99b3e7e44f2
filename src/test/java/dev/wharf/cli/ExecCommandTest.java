package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How wharf exec names the program it starts: as given, except that on Windows PATH and PATHEXT are searched. */
class ExecCommandTest {
  @TempDir Path folder;

  @Test
  void elsewhereTheCommandIsStartedAsGiven() {
    assertThat(ExecCommand.executable(List.of("npm", "ci"), Map.of("PATH", folder.toString()), false))
        .containsExactly("npm", "ci");
  }

  @Test
  void onWindowsABatchFileOnThePathRunsThroughCmdAndAnExeDirectly() throws Exception {
    Path tools = Files.createDirectories(folder.resolve("tools"));
    Path node = Files.createDirectories(folder.resolve("node"));
    Files.writeString(node.resolve("npm.cmd"), "@echo off\n");
    Files.writeString(tools.resolve("mvn.exe"), "");
    Map<String, String> environment = Map.of("Path", tools + ";" + node, "PATHEXT", ".COM;.EXE;.BAT;.CMD");

    assertThat(ExecCommand.executable(List.of("npm", "ci"), environment, true))
        .containsExactly("cmd.exe", "/c", node.resolve("npm.cmd").toString(), "ci");
    assertThat(ExecCommand.executable(List.of("mvn", "-v"), environment, true))
        .containsExactly(tools.resolve("mvn.exe").toString(), "-v");
    assertThat(ExecCommand.executable(List.of("missing"), environment, true)).containsExactly("missing");
    assertThat(ExecCommand.executable(List.of("npm.cmd"), environment, true)).containsExactly("npm.cmd");
  }
}
