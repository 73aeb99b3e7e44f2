package dev.wharf.format.ruby;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A gem specification in Ruby's Marshal format 4.8, as {@code gem install} reads it from
 * {@code quick/Marshal.4.8/NAME-VERSION.gemspec.rz} (zlib-deflated): {@code Gem::Specification}'s
 * {@code _dump}, the 19-field array that {@code Gem::Specification._load} reads, with
 * {@code Gem::Version} and {@code Gem::Requirement} as their {@code marshal_dump} arrays and each
 * {@code Gem::Dependency} as an object with its instance variables. Only what that needs of the
 * format is written: nil, booleans, integers, UTF-8 strings, symbols, arrays, hashes and the three
 * kinds of object. Files, executables and other fields a gem's own copy of its specification keeps
 * are not in RubyGems' marshalled form either.
 */
final class GemMarshal {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private GemMarshal() {
    out.write(4);
    out.write(8);
  }

  /** The zlib-deflated Marshal of the specification ({@code .gemspec.rz}). */
  static byte[] quickSpec(Gemspec spec) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION))) {
      deflate.write(specification(spec));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return compressed.toByteArray();
  }

  /** {@code Marshal.dump(spec)}: a user-dumped Gem::Specification whose data is the marshalled field array. */
  static byte[] specification(Gemspec spec) {
    GemMarshal fields = new GemMarshal();
    fields.array(19);
    fields.string(spec.rubygemsVersion());
    fields.integer(spec.specificationVersion());
    fields.string(spec.name());
    fields.version(spec.version());
    fields.string(spec.date());
    fields.stringOrNil(spec.summary());
    fields.requirement(spec.requiredRubyVersion());
    fields.requirement(spec.requiredRubygemsVersion());
    fields.string(spec.platform());
    fields.array(spec.dependencies().size());
    for (Gemspec.Dependency dependency : spec.dependencies()) {
      fields.dependency(dependency);
    }
    fields.string(""); // rubyforge_project
    fields.strings(spec.email());
    fields.strings(spec.authors());
    fields.stringOrNil(spec.description());
    fields.stringOrNil(spec.homepage());
    fields.bool(true); // has_rdoc
    fields.string(spec.platform());
    fields.strings(spec.licenses());
    fields.hash(spec.metadata());
    byte[] dumped = fields.out.toByteArray();

    GemMarshal outer = new GemMarshal();
    outer.out.write('u');
    outer.symbol("Gem::Specification");
    outer.bytes(dumped);
    return outer.out.toByteArray();
  }

  private void version(String version) {
    out.write('U');
    symbol("Gem::Version");
    array(1);
    string(version);
  }

  private void requirement(List<Gemspec.Constraint> constraints) {
    out.write('U');
    symbol("Gem::Requirement");
    array(1);
    array(constraints.size());
    for (Gemspec.Constraint constraint : constraints) {
      array(2);
      string(constraint.operator());
      version(constraint.version());
    }
  }

  private void dependency(Gemspec.Dependency dependency) {
    out.write('o');
    symbol("Gem::Dependency");
    count(5); // instance variables
    symbol("@name");
    string(dependency.name());
    symbol("@requirement");
    requirement(dependency.requirements());
    symbol("@type");
    symbol(dependency.type());
    symbol("@prerelease");
    bool(false);
    symbol("@version_requirements");
    requirement(dependency.requirements());
  }

  private void strings(List<String> values) {
    array(values.size());
    values.forEach(this::string);
  }

  private void hash(Map<String, String> values) {
    out.write('{');
    count(values.size());
    values.forEach((key, value) -> {
      string(key);
      string(value);
    });
  }

  private void array(int size) {
    out.write('[');
    count(size);
  }

  private void stringOrNil(String value) {
    if (value == null) {
      out.write('0');
    } else {
      string(value);
    }
  }

  /** A UTF-8 string: the bytes, with the encoding instance variable {@code E = true}. */
  private void string(String value) {
    out.write('I');
    out.write('"');
    bytes(value.getBytes(StandardCharsets.UTF_8));
    count(1);
    symbol("E");
    bool(true);
  }

  private void symbol(String name) {
    out.write(':');
    bytes(name.getBytes(StandardCharsets.UTF_8));
  }

  private void bool(boolean value) {
    out.write(value ? 'T' : 'F');
  }

  private void integer(int value) {
    out.write('i');
    count(value);
  }

  private void bytes(byte[] value) {
    count(value.length);
    out.writeBytes(value);
  }

  /** Marshal's compact integer ({@code w_long}). */
  private void count(int value) {
    if (value == 0) {
      out.write(0);
    } else if (value > 0 && value < 123) {
      out.write(value + 5);
    } else if (value < 0 && value > -124) {
      out.write((value - 5) & 0xff);
    } else {
      byte[] buffer = new byte[4];
      int length = 0;
      long remaining = value;
      do {
        buffer[length++] = (byte) (remaining & 0xff);
        remaining >>= 8;
      } while (length < 4 && remaining != (value < 0 ? -1 : 0));
      out.write(value < 0 ? -length & 0xff : length);
      out.write(buffer, 0, length);
    }
  }
}
