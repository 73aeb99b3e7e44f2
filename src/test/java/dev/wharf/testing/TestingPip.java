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

  /** Writes a wheel and an sdist of a one-module project: name version module [requires-dist...]. */
  public static final String MAKE_DISTS = """
      import io, os, re, sys, tarfile, zipfile
      name, version, module, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
      requires = sys.argv[5:]
      dist = re.sub(r'[-_.]+', '_', name)
      meta = 'Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\nSummary: %s for tests\\nLicense: MIT\\nRequires-Python: >=3.7\\n' % (name, version, name)
      meta += ''.join('Requires-Dist: %s\\n' % r for r in requires)
      code = 'GREETING = %r\\n' % ('hello from %s %s' % (name, version))
      info = '%s-%s.dist-info' % (dist, version)
      wheel = os.path.join(out, '%s-%s-py3-none-any.whl' % (dist, version))
      with zipfile.ZipFile(wheel, 'w', zipfile.ZIP_DEFLATED) as z:
          z.writestr(module + '/__init__.py', code)
          z.writestr(info + '/METADATA', meta)
          z.writestr(info + '/WHEEL', 'Wheel-Version: 1.0\\nGenerator: wharf-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
          z.writestr(info + '/RECORD', '%s/__init__.py,,\\n%s/METADATA,,\\n%s/WHEEL,,\\n%s/RECORD,,\\n' % (module, info, info, info))
      base = '%s-%s' % (dist, version)
      setup = 'from setuptools import setup\\nsetup(name=%r, version=%r, packages=[%r], install_requires=%r)\\n' % (name, version, module, requires)
      with tarfile.open(os.path.join(out, base + '.tar.gz'), 'w:gz') as t:
          for path, text in [('PKG-INFO', meta), ('setup.py', setup), (module + '/__init__.py', code)]:
              data = text.encode()
              member = tarfile.TarInfo(base + '/' + path)
              member.size = len(data)
              t.addfile(member, io.BytesIO(data))
      """;

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
