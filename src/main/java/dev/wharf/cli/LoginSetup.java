package dev.wharf.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code wharf login} and {@code wharf logout} change, worked out before anything is written:
 * the new content of each configuration file, and the notes to print. Knows nothing of the server.
 */
final class LoginSetup {
  enum Scope { user, project }

  /**
   * Where the files are: the folder that stands for ~, the project folder, and the environment
   * (NPM_CONFIG_USERCONFIG, XDG_CONFIG_HOME, XDG_DATA_HOME, GRADLE_USER_HOME, CARGO_HOME, BUNDLE_USER_CONFIG and the
   * like are honoured unless home was given explicitly).
   */
  record Places(Path home, Path projectDirectory, Map<String, String> environment, boolean homeGiven) {
    Places {
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(projectDirectory, "projectDirectory");
      environment = Map.copyOf(environment);
    }

    /** The places of this process: $HOME (else the JVM's user.home) unless home is given, and the working folder. */
    static Places of(Path givenHome) {
      Map<String, String> environment = System.getenv();
      String envHome = environment.get("HOME");
      Path home = givenHome != null ? givenHome
          : Path.of(envHome != null && !envHome.isBlank() ? envHome : System.getProperty("user.home"));
      return new Places(home, Path.of(System.getProperty("user.dir")), environment, givenHome != null);
    }

    private String variable(String name) {
      String value = homeGiven ? null : environment.get(name);
      return value == null || value.isBlank() ? null : value;
    }

    Path file(LoginTool tool, Scope scope) {
      if (scope == Scope.project) {
        return switch (tool) {
          case NPM, PNPM, YARN -> projectDirectory.resolve(".npmrc");
          case PIP -> projectDirectory.resolve("pip.conf");
          case TWINE -> projectDirectory.resolve(".pypirc");
          case POETRY -> projectDirectory.resolve("poetry.toml");
          case UV -> projectDirectory.resolve("uv.toml");
          case MAVEN -> projectDirectory.resolve(".mvn").resolve("settings.xml");
          case GRADLE -> projectDirectory.resolve("gradle.properties");
          case CARGO -> cargoConfig(projectDirectory.resolve(".cargo"));
          case GEM -> throw new IllegalArgumentException("--scope project is not supported for gem: RubyGems reads"
              + " its credentials and its gemrc from the user's folders only");
          case BUNDLER -> projectDirectory.resolve(".bundle").resolve("config");
          case NUGET, DOTNET -> projectDirectory.resolve("nuget.config");
          case SWIFT -> swiftRegistries(projectDirectory);
        };
      }
      return switch (tool) {
        case NPM, PNPM, YARN -> {
          String userConfig = variable("NPM_CONFIG_USERCONFIG") != null ? variable("NPM_CONFIG_USERCONFIG")
              : variable("npm_config_userconfig");
          yield userConfig != null ? Path.of(userConfig) : home.resolve(".npmrc");
        }
        case PIP -> (variable("XDG_CONFIG_HOME") != null ? Path.of(variable("XDG_CONFIG_HOME")) : home.resolve(".config"))
            .resolve("pip").resolve("pip.conf");
        case TWINE -> home.resolve(".pypirc");
        case POETRY -> poetryConfigDirectory().resolve("auth.toml");
        case UV -> xdg("XDG_CONFIG_HOME", ".config").resolve("uv").resolve("uv.toml");
        case MAVEN -> home.resolve(".m2").resolve("settings.xml");
        case GRADLE -> (variable("GRADLE_USER_HOME") != null ? Path.of(variable("GRADLE_USER_HOME")) : home.resolve(".gradle"))
            .resolve("gradle.properties");
        case CARGO -> cargoConfig(variable("CARGO_HOME") != null ? Path.of(variable("CARGO_HOME")) : home.resolve(".cargo"));
        case GEM -> firstExisting(home.resolve(".gem").resolve("credentials"), xdg("XDG_DATA_HOME", ".local/share")
            .resolve("gem").resolve("credentials"));
        case BUNDLER -> bundlerConfig();
        // where NuGet (dotnet and nuget alike) keeps the user's NuGet.Config outside Windows
        case NUGET, DOTNET -> home.resolve(".nuget").resolve("NuGet").resolve("NuGet.Config");
        case SWIFT -> swiftRegistries(home);
      };
    }

    /** The netrc file SwiftPM reads credentials from (aws codeartifact login writes the token there). */
    Path netrc() {
      return home.resolve(".netrc");
    }

    /** SwiftPM's registries.json of a package's folder, or the user's ({@code swift package-registry set --global}). */
    private static Path swiftRegistries(Path folder) {
      return folder.resolve(".swiftpm").resolve("configuration").resolve("registries.json");
    }

    /** Yarn berry's .yarnrc.yml: the user's (~/.yarnrc.yml) or the project's. */
    Path yarnrcYml(Scope scope) {
      return (scope == Scope.project ? projectDirectory : home).resolve(".yarnrc.yml");
    }

    /** gem's gemrc, where its sources are: ~/.gemrc, unless only $XDG_CONFIG_HOME/gem/gemrc exists (RubyGems 3.3). */
    Path gemrc() {
      return firstExisting(home.resolve(".gemrc"), xdg("XDG_CONFIG_HOME", ".config").resolve("gem").resolve("gemrc"));
    }

    /** poetry's config.toml (the user's, beside auth.toml): where repositories are. */
    Path poetryConfig() {
      return poetryConfigDirectory().resolve("config.toml");
    }

    /** Where poetry 1.x keeps its configuration outside macOS and Windows: $POETRY_CONFIG_DIR, else XDG's. */
    private Path poetryConfigDirectory() {
      return variable("POETRY_CONFIG_DIR") != null ? Path.of(variable("POETRY_CONFIG_DIR"))
          : xdg("XDG_CONFIG_HOME", ".config").resolve("pypoetry");
    }

    /** wharf-keyring's list of endpoints: $WHARF_KEYRING_CONFIG, else ~/.config/wharf/keyring.json ($XDG_CONFIG_HOME). */
    Path keyringConfig() {
      return variable("WHARF_KEYRING_CONFIG") != null ? Path.of(variable("WHARF_KEYRING_CONFIG"))
          : xdg("XDG_CONFIG_HOME", ".config").resolve("wharf").resolve("keyring.json");
    }

    /** The folder $name names, else home's folder of that name. */
    private Path xdg(String name, String underHome) {
      return variable(name) != null ? Path.of(variable(name)) : home.resolve(underHome);
    }

    /** Where bundler's Settings#global_config_file looks. */
    private Path bundlerConfig() {
      for (String name : List.of("BUNDLE_CONFIG", "BUNDLE_USER_CONFIG")) {
        if (variable(name) != null) {
          return Path.of(variable(name));
        }
      }
      return variable("BUNDLE_USER_HOME") != null ? Path.of(variable("BUNDLE_USER_HOME")).resolve("config")
          : home.resolve(".bundle").resolve("config");
    }

    /** The usual file, unless only the other one exists: RubyGems reads the second when the first is absent. */
    private static Path firstExisting(Path usual, Path alternative) {
      return !Files.isRegularFile(usual) && Files.isRegularFile(alternative) ? alternative : usual;
    }

    /** config.toml, unless the folder has the older config, which cargo then reads instead. */
    private static Path cargoConfig(Path folder) {
      Path legacy = folder.resolve("config");
      return Files.isRegularFile(legacy) ? legacy : folder.resolve("config.toml");
    }
  }

  /**
   * The npm-format tools in use, as far as they could be asked: the major version of npm and of yarn, 0 when
   * unknown (not on PATH). They decide what a login for npm, pnpm or yarn writes.
   */
  record NpmTools(int npmMajor, int yarnMajor) {
    static final NpmTools UNKNOWN = new NpmTools(0, 0);

    /** Yarn 2 and later (berry) read .yarnrc.yml, not .npmrc. */
    boolean yarnBerry() {
      return yarnMajor >= 2;
    }

    /**
     * Whether the .npmrc gets {@code //host/path/:always-auth=true}: yarn classic sends the token for unscoped
     * packages only with it, and reads it from .npmrc alone (not .yarnrc); npm 9 and later do not know the key
     * (npm 11 warns and ignores it), so npm and pnpm logins leave it out there.
     */
    boolean alwaysAuth(LoginTool tool) {
      return tool == LoginTool.YARN || npmMajor < 9;
    }
  }

  /** A file and its whole new content (empty: the file goes). */
  record FileChange(Path path, String content) {}

  /** The files to change and the lines to print once they are written. */
  record Plan(List<FileChange> files, List<String> notes) {
    Plan {
      files = List.copyOf(files);
      notes = List.copyOf(notes);
    }
  }

  private LoginSetup() {}

  /**
   * The changes that point tool at the repository endpoint with the token.
   *
   * @param npmTools the npm and yarn versions in use: yarn 2+ gets .yarnrc.yml, and they decide always-auth
   * @param tokenCommand for cargo, which runs it for a fresh token each time it needs one: a command that
   *     prints the token alone (the token itself is not written)
   */
  static Plan login(LoginTool tool, Scope scope, Places places, String endpoint, String token, String namespace,
      NpmTools npmTools, List<String> tokenCommand, boolean pipExtraIndex) throws IOException {
    if (pipExtraIndex && tool != LoginTool.PIP) {
      throw new IllegalArgumentException("--extra-index is for pip only");
    }
    if (namespace != null && !tool.namespaceSupported()) {
      throw new IllegalArgumentException("Argument --namespace is not supported for " + tool);
    }
    Path file = tool == LoginTool.YARN && npmTools.yarnBerry() ? places.yarnrcYml(scope) : places.file(tool, scope);
    String existing = ConfigFiles.read(file).orElse("");
    List<String> notes = new ArrayList<>();
    List<FileChange> more = new ArrayList<>();
    String content = switch (tool) {
      case NPM, PNPM -> NpmrcConfig.login(existing, endpoint, token,
          namespace == null ? null : NpmrcConfig.scope(namespace), npmTools.alwaysAuth(tool));
      case YARN -> {
        String npmScope = namespace == null ? null : NpmrcConfig.scope(namespace);
        if (npmTools.yarnBerry()) {
          notes.add("Written for yarn " + npmTools.yarnMajor() + " (.yarnrc.yml" + (npmScope == null ? ""
              : ", npmScopes." + npmScope.substring(1)) + "): the file holds the token; run wharf login again when it expires.");
          if (scope == Scope.project) {
            // a project's .yarnrc.yml is usually committed: say so, as for poetry.toml
            notes.add(file + " holds the token: keep it out of version control (or log in with the user scope, or"
                + " write npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN}\" yourself and use wharf exec).");
          }
          yield YarnrcConfig.login(existing, endpoint, token, npmScope);
        }
        notes.add((npmTools.yarnMajor() == 1 ? "Written for yarn 1 (classic)" : "No yarn answered 'yarn --version'"
            + " here: written for yarn 1 (classic); for yarn 2+ run wharf login where 'yarn --version' says so") + ".");
        if (npmTools.npmMajor() >= 9) {
          notes.add("always-auth=true is for yarn 1, which sends the token only with it; npm " + npmTools.npmMajor()
              + " does not know the key and ignores it" + (npmTools.npmMajor() >= 11 ? " (with a warning)." : "."));
        }
        yield NpmrcConfig.login(existing, endpoint, token, npmScope, true);
      }
      case PIP -> {
        if (scope == Scope.project) {
          notes.add("pip reads " + file + " when PIP_CONFIG_FILE=" + file + " is set.");
        }
        if (pipExtraIndex) {
          notes.addAll(extraIndexRisk(existing));
          yield PipConfig.loginExtraIndex(existing, endpoint, token);
        }
        yield PipConfig.login(existing, endpoint, token);
      }
      case TWINE -> {
        if (scope == Scope.project) {
          notes.add("Upload with: twine upload --config-file " + file + " --repository codeartifact dist/*");
        }
        yield PypircConfig.login(existing, endpoint, token);
      }
      case POETRY -> {
        notes.add("poetry has the token for '" + PoetryConfig.NAME + "' in " + file + ". Use the repository as the"
            + " project's source:");
        notes.addAll(poetrySource(endpoint));
        notes.add("The file holds the token: when it has expired, run wharf login again (see --refresh).");
        if (scope == Scope.project) {
          notes.add(file + " holds the token: keep it out of version control.");
          yield PoetryConfig.loginCredentials(PoetryConfig.loginRepository(existing, endpoint), token);
        }
        Path config = places.poetryConfig();
        more.add(new FileChange(config, PoetryConfig.loginRepository(ConfigFiles.read(config).orElse(""), endpoint)));
        yield PoetryConfig.loginCredentials(existing, token);
      }
      case UV -> {
        notes.add("Index '" + UvConfig.INDEX + "' (" + endpoint + "simple/) is uv's default index in " + file
            + ", in place of PyPI.");
        notes.add("uv reads its credentials from the environment. Run:");
        notes.add("");
        notes.add("  export " + UvConfig.credentialVariable(UvConfig.INDEX, "USERNAME") + "=aws");
        notes.add("  export " + UvConfig.credentialVariable(UvConfig.INDEX, "PASSWORD") + "=" + token);
        notes.add("");
        notes.add("or run uv through wharf exec, which sets both. Publish with: uv publish --index " + UvConfig.INDEX);
        if (scope == Scope.project) {
          notes.add("uv reads " + file + " when it runs in " + file.getParent() + " (it prefers a pyproject.toml's"
              + " [tool.uv] there: put the index in [[tool.uv.index]] instead).");
        }
        yield UvConfig.login(existing, endpoint);
      }
      case MAVEN -> {
        notes.add("Maven reads the token from the environment. Run:");
        notes.add("");
        notes.add("  export CODEARTIFACT_AUTH_TOKEN=" + token);
        notes.add("");
        notes.add("and use the repository (id codeartifact) in your pom.xml or settings.xml profile:");
        notes.add("");
        notes.add("  <repository><id>codeartifact</id><url>" + endpoint + "</url></repository>");
        if (LoginUrls.isExternalHttp(endpoint)) {
          notes.add("");
          notes.add("Maven 3.8.1 and later block a plain-http repository on another host than localhost (\"Blocked mirror");
          notes.add("for repositories\"). Serve Wharf over https, or make it a mirror in settings.xml, which they allow:");
          notes.add("");
          notes.add("  <mirror><id>codeartifact</id><url>" + endpoint + "</url><mirrorOf>*</mirrorOf></mirror>");
        }
        if (scope == Scope.project) {
          notes.add("");
          notes.add("Maven reads " + file + " with: mvn -s " + file + " (or add '-s .mvn/settings.xml' to .mvn/maven.config).");
        }
        yield MavenSettings.login(existing);
      }
      case GRADLE -> {
        notes.add("Gradle reads the token from the environment. Run:");
        notes.add("");
        notes.add("  export CODEARTIFACT_AUTH_TOKEN=" + token);
        notes.add("");
        // Groovy DSL first: every Gradle reads it, Debian's 4.4.1 (which has no Kotlin DSL) included.
        notes.add("and declare the repository in build.gradle, in repositories { } to resolve and in");
        notes.add("publishing { repositories { } } (maven-publish) to publish:");
        notes.add("");
        notes.add("  maven {");
        notes.add("    url codeartifactUrl");
        notes.add("    credentials { username 'aws'; password System.env.CODEARTIFACT_AUTH_TOKEN }");
        if (endpoint.startsWith("http:")) {
          notes.add("    allowInsecureProtocol = true");
        }
        notes.add("  }");
        notes.add("");
        if (endpoint.startsWith("http:")) {
          notes.add("(Gradle 7 and later refuse plain http without allowInsecureProtocol; leave it out for Gradle 5");
          notes.add("and older, which do not know it.)");
        }
        notes.add("(build.gradle.kts: url = uri(property(\"codeartifactUrl\") as String), and");
        notes.add("credentials { username = \"aws\"; password = System.getenv(\"CODEARTIFACT_AUTH_TOKEN\") }.)");
        yield GradleProperties.login(existing, endpoint);
      }
      case CARGO -> {
        notes.add("cargo runs this for a fresh token whenever it needs one (no token is written):");
        notes.add("");
        notes.add("  " + String.join(" ", tokenCommand));
        notes.add("");
        notes.add("Registry '" + CargoConfig.REGISTRY + "' is the default one and replaces crates.io.");
        if (scope == Scope.project) {
          notes.add("cargo reads " + file + " in " + file.getParent().getParent() + " and the folders below it.");
        }
        yield CargoConfig.login(existing, endpoint, tokenCommand);
      }
      case GEM -> {
        Path gemrc = places.gemrc();
        String sources = GemConfig.loginGemrc(ConfigFiles.read(gemrc).orElse(""), endpoint, token);
        more.add(new FileChange(gemrc, sources));
        List<String> others = GemConfig.otherSourcesForDisplay(sources);
        notes.add("Push with (" + file + " has the key for this --host):");
        notes.add("");
        notes.add("  gem push --host " + endpoint + " NAME-VERSION.gem");
        notes.add("");
        notes.add("gem install searches the repository first: it heads the :sources: of " + gemrc
            + (others.isEmpty() ? ", alone (rubygems.org is not searched)." : ", before " + String.join(", ", others) + "."));
        notes.add("Both files hold the token: when it has expired, run wharf login again.");
        yield GemConfig.loginCredentials(existing, endpoint, token);
      }
      case BUNDLER -> {
        String key = BundlerConfig.key(endpoint);
        notes.add("Use the repository in your Gemfile (bundler takes the credential for its host from " + key
            + " in " + file + "):");
        notes.add("");
        notes.add("  source \"" + endpoint + "\"");
        notes.add("");
        if (places.environment().containsKey(key)) {
          notes.add(key + " is set in the environment too, and bundler uses that one: unset it.");
        }
        if (scope == Scope.project) {
          notes.add("bundler reads " + file + " when it runs in " + file.getParent().getParent() + ".");
        }
        notes.add("The file holds the token: when it has expired, run wharf login again.");
        yield BundlerConfig.login(existing, endpoint, token);
      }
      case NUGET, DOTNET -> {
        String name = NugetConfig.sourceName(endpoint);
        notes.add("Package source '" + name + "' (" + endpoint + "v3/index.json) is in " + file + ", with the token.");
        notes.add("Push with:");
        notes.add("");
        notes.add(tool == LoginTool.DOTNET ? "  dotnet nuget push PACKAGE.nupkg --source " + name
            : "  nuget push PACKAGE.nupkg -Source " + name);
        notes.add("");
        notes.add("The file holds the token: when it has expired, run wharf login again.");
        yield NugetConfig.login(existing, endpoint, token);
      }
      case SWIFT -> {
        Path netrc = places.netrc();
        more.add(new FileChange(netrc, SwiftConfig.loginNetrc(ConfigFiles.read(netrc).orElse(""), endpoint, token)));
        notes.add("SwiftPM resolves " + (namespace == null ? "every scope" : "scope " + namespace) + " from the"
            + " repository (" + file + ") and sends the token in " + netrc + " (login token).");
        notes.add("Add dependencies as .package(id: \"scope.name\", from: \"1.0.0\"); publish with:");
        notes.add("");
        notes.add("  swift package-registry publish scope.name 1.0.0");
        notes.add("");
        notes.add(netrc + " holds the token: when it has expired, run wharf login again.");
        yield SwiftConfig.loginRegistries(existing, endpoint, namespace == null ? null : SwiftConfig.scope(namespace));
      }
    };
    List<FileChange> files = new ArrayList<>();
    files.add(new FileChange(file, content));
    files.addAll(more);
    return new Plan(files, notes);
  }

  /** What pip --extra-index risks: the notes a login with it prints. */
  private static List<String> extraIndexRisk(String existingPipConfig) {
    return List.of("Wharf is an extra index: pip still searches " + IniFile.parse(existingPipConfig)
            .value("global", "index-url").map(LoginUrls::withoutUserInfo).orElse("PyPI") + " too, and installs",
        "each package from the index with the highest version. Risk (dependency confusion): anyone",
        "who publishes a package there with the name of one of yours and a higher version gets it",
        "installed. Keep private names claimed there, pin versions with hashes, or use Wharf as the only",
        "index (wharf login --tool pip without --extra-index) with PyPI as its upstream.");
  }

  /** The lines that follow "Use the repository as the project's source:". */
  private static List<String> poetrySource(String endpoint) {
    return List.of("",
        "  poetry source add --default " + PoetryConfig.NAME + " " + endpoint + "simple/", "",
        "and publish with: poetry publish -r " + PoetryConfig.NAME);
  }

  /**
   * The changes that point pip or poetry at the repository endpoint without writing a token: they ask keyring for
   * the password, and wharf-keyring (clients/python/wharf-keyring) answers with a token that tokenCommand prints,
   * as keyring.json lists it. A login of the tool with a token in its file is replaced.
   *
   * @param tokenCommand a command that prints GetAuthorizationToken's answer as JSON
   * @param keyringPackage where wharf-keyring is, for the install line
   */
  static Plan keyringLogin(LoginTool tool, Scope scope, Places places, String endpoint, List<String> tokenCommand,
      boolean pipExtraIndex, String keyringPackage) throws IOException {
    Path file = places.file(tool, scope);
    String existing = ConfigFiles.read(file).orElse("");
    List<FileChange> files = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String command = "  " + RefreshAdvice.shell(tokenCommand);
    switch (tool) {
      case PIP -> {
        files.add(new FileChange(file, PipConfig.useKeyring(pipExtraIndex
            ? PipConfig.loginExtraIndex(existing, endpoint, null) : PipConfig.login(existing, endpoint, null))));
        notes.add("pip (23.1 or later) asks the keyring command for the password of aws@" + LoginUrls.netloc(endpoint)
            + " (keyring-provider = subprocess in " + file + "); no token is written. wharf-keyring answers with a");
        notes.add("token this prints, cached until five minutes before it expires:");
        notes.add("");
        notes.add(command);
        notes.add("");
        notes.add("Install it beside the keyring command pip finds on PATH, outside the environment pip runs in, e.g.");
        notes.add("");
        notes.add("  pipx install keyring && pipx inject keyring " + keyringPackage);
        if (scope == Scope.project) {
          notes.add("");
          notes.add("pip reads " + file + " when PIP_CONFIG_FILE=" + file + " is set.");
        }
        if (pipExtraIndex) {
          notes.add("");
          notes.addAll(extraIndexRisk(existing));
        }
      }
      case POETRY -> {
        if (scope == Scope.project) {
          files.add(new FileChange(file, PoetryConfig.logoutCredentials(PoetryConfig.loginRepository(existing, endpoint))));
        } else {
          files.add(new FileChange(file, PoetryConfig.logoutCredentials(existing)));
          Path config = places.poetryConfig();
          files.add(new FileChange(config, PoetryConfig.loginRepository(ConfigFiles.read(config).orElse(""), endpoint)));
        }
        notes.add("poetry asks keyring for the password of " + endpoint + " (no token is written). wharf-keyring");
        notes.add("answers with a token this prints, cached until five minutes before it expires:");
        notes.add("");
        notes.add(command);
        notes.add("");
        notes.add("Install it into poetry's environment, e.g. pipx inject poetry " + keyringPackage);
        notes.add("(Debian's poetry: pip install --user --break-system-packages " + keyringPackage + "). Where the");
        notes.add("system keyring cannot be unlocked (servers, CI), run poetry with PYTHON_KEYRING_BACKEND="
            + KeyringConfig.BACKEND + ".");
        notes.add("Use the repository as the project's source:");
        notes.addAll(poetrySource(endpoint));
      }
      default -> throw new IllegalArgumentException("--keyring is for pip and poetry only");
    }
    Path keyringConfig = places.keyringConfig();
    files.add(new FileChange(keyringConfig,
        KeyringConfig.login(ConfigFiles.read(keyringConfig).orElse(""), endpoint, tokenCommand)));
    List<FileChange> changes = new ArrayList<>();
    for (FileChange change : files) {
      if (!change.content().equals(ConfigFiles.read(change.path()).orElse(""))) {
        changes.add(change);
      }
    }
    return new Plan(changes, notes);
  }

  /** The changes that undo what login wrote for tool; host limits them to endpoints on that host. */
  static Plan logout(LoginTool tool, Scope scope, Places places, String host) throws IOException {
    Path file = places.file(tool, scope);
    List<Path> files = switch (tool) {
      case GEM -> List.of(file, places.gemrc());
      case SWIFT -> List.of(file, places.netrc());
      case YARN -> List.of(file, places.yarnrcYml(scope));
      case POETRY -> scope == Scope.user ? List.of(file, places.poetryConfig()) : List.of(file);
      default -> List.of(file);
    };
    if ((tool == LoginTool.PIP || tool == LoginTool.POETRY) && Files.isRegularFile(places.keyringConfig())) {
      files = new ArrayList<>(files);
      files.add(places.keyringConfig()); // a login with --keyring listed the endpoint there
    }
    List<FileChange> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    java.util.Set<String> swiftHosts = tool == LoginTool.SWIFT
        ? SwiftConfig.wharfHosts(ConfigFiles.read(file).orElse(""), host) : java.util.Set.of();
    for (Path each : files) {
      var existing = ConfigFiles.read(each);
      if (existing.isEmpty()) {
        notes.add("Nothing to do: " + each + " does not exist.");
        continue;
      }
      String content = switch (tool) {
        case NPM, PNPM -> NpmrcConfig.logout(existing.get(), host);
        case YARN -> each.equals(file) ? NpmrcConfig.logout(existing.get(), host)
            : YarnrcConfig.logout(existing.get(), host);
        case PIP -> each.equals(places.keyringConfig()) ? KeyringConfig.logout(existing.get(), host)
            : PipConfig.logout(existing.get(), host);
        case TWINE -> PypircConfig.logout(existing.get(), host);
        case POETRY -> each.equals(places.keyringConfig()) ? KeyringConfig.logout(existing.get(), host)
            : each.equals(places.poetryConfig()) ? PoetryConfig.logoutRepository(existing.get(), host)
            : scope == Scope.project ? PoetryConfig.logoutCredentials(PoetryConfig.logoutRepository(existing.get(), host))
            : PoetryConfig.logoutCredentials(existing.get());
        case UV -> UvConfig.logout(existing.get(), host);
        case MAVEN -> MavenSettings.logout(existing.get());
        case GRADLE -> GradleProperties.logout(existing.get());
        case CARGO -> CargoConfig.logout(existing.get(), host);
        case GEM -> each.equals(file) ? GemConfig.logoutCredentials(existing.get(), host)
            : GemConfig.logoutGemrc(existing.get(), host);
        case BUNDLER -> BundlerConfig.logout(existing.get(), host);
        case NUGET, DOTNET -> NugetConfig.logout(existing.get(), host);
        case SWIFT -> each.equals(file) ? SwiftConfig.logoutRegistries(existing.get(), swiftHosts)
            : SwiftConfig.logoutNetrc(existing.get(), swiftHosts);
      };
      if (content.equals(existing.get())) {
        notes.add("Nothing to do: " + each + " has no Wharf login for " + tool + ".");
      } else {
        changes.add(new FileChange(each, content));
        notes.add("Removed the Wharf login for " + tool + " from " + each + ".");
      }
    }
    return new Plan(changes, notes);
  }

  /** Writes every file of the plan (owner-only); a file whose new content is empty is deleted. */
  static void apply(Plan plan) throws IOException {
    for (FileChange change : plan.files()) {
      ConfigFiles.writeOrDelete(change.path(), change.content());
    }
  }

  /** Prints what apply would write, and writes nothing. */
  static void printDryRun(Plan plan, PrintStream out) {
    out.println("Dry run: nothing is written.");
    for (FileChange change : plan.files()) {
      out.println();
      if (change.content().isEmpty()) {
        out.println(change.path() + " would be deleted.");
        continue;
      }
      out.println(change.path() + " would be set to:");
      out.println();
      out.print(change.content());
    }
  }
}
