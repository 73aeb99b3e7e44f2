package dev.wharf.testing;

import java.nio.file.Path;

/** poetry projects for tests: a library of one module, and an application that depends on it. */
public final class TestingPoetry {
  private TestingPoetry() {}

  /** A new folder under parent with a library project: module's GREETING is greeting. */
  public static Path library(Path parent, String name, String version, String module, String greeting) {
    Path library = TestingFiles.directory(parent, "library");
    TestingFiles.write(library.resolve("pyproject.toml"), """
        [tool.poetry]
        name = "%s"
        version = "%s"
        description = "for tests"
        authors = ["Wharf <wharf@example.com>"]
        packages = [{ include = "%s" }]

        [tool.poetry.dependencies]
        python = ">=3.7"

        [build-system]
        requires = ["poetry-core"]
        build-backend = "poetry.core.masonry.api"
        """.formatted(name, version, module));
    TestingFiles.write(library.resolve(module + "/__init__.py"), "GREETING = '" + greeting + "'\n");
    return library;
  }

  /** A new folder under parent with an application project that depends on library ^1.0. */
  public static Path application(Path parent, String name, String library) {
    Path application = TestingFiles.directory(parent, "application");
    TestingFiles.write(application.resolve("pyproject.toml"), """
        [tool.poetry]
        name = "%s"
        version = "0.1.0"
        description = "for tests"
        authors = ["Wharf <wharf@example.com>"]

        [tool.poetry.dependencies]
        python = ">=3.7"
        %s = "^1.0"
        """.formatted(name, library));
    return application;
  }
}
