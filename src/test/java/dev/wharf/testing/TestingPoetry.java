package dev.wharf.testing;

import java.nio.file.Path;

/** poetry projects for tests: a library of one module, and an application that depends on it. */
public final class TestingPoetry {
  private TestingPoetry() {}

  /** A new folder under parent with a library project: module's GREETING is greeting. */
  public static Path library(Path parent, String name, String version, String module, String greeting) {
    Path library = TestingFiles.directory(parent, "library");
    TestingFiles.write(library.resolve("pyproject.toml"), project(name, version, "packages = [{ include = \"" + module
        + "\" }]\n", "") + """

        [build-system]
        requires = ["poetry-core"]
        build-backend = "poetry.core.masonry.api"
        """);
    TestingFiles.write(library.resolve(module + "/__init__.py"), "GREETING = '" + greeting + "'\n");
    return library;
  }

  /** A new folder under parent with an application project that depends on library ^1.0. */
  public static Path application(Path parent, String name, String library) {
    Path application = TestingFiles.directory(parent, "application");
    TestingFiles.write(application.resolve("pyproject.toml"), project(name, "0.1.0", "", library + " = \"^1.0\"\n"));
    return application;
  }

  private static String project(String name, String version, String more, String dependencies) {
    return """
        [tool.poetry]
        name = "%s"
        version = "%s"
        description = "for tests"
        authors = ["Wharf <wharf@example.com>"]
        %s
        [tool.poetry.dependencies]
        python = ">=3.7"
        %s""".formatted(name, version, more, dependencies);
  }
}
