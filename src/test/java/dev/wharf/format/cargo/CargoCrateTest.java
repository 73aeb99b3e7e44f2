package dev.wharf.format.cargo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoCrateTest {
  private static final String MANIFEST = "[package]\nname = \"foo\"\nversion = \"1.0.0\"\n";
  @TempDir Path dir;

  /** Entries: name, type flag, content (or link target). */
  private Path crate(Object... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (int i = 0; i < entries.length; i += 3) {
        TarArchiveEntry entry = new TarArchiveEntry((String) entries[i], (byte) entries[i + 1]);
        byte[] content = ((String) entries[i + 2]).getBytes(StandardCharsets.UTF_8);
        if (entry.isSymbolicLink() || entry.isLink()) {
          entry.setLinkName((String) entries[i + 2]);
          tar.putArchiveEntry(entry);
        } else {
          entry.setSize(entry.isDirectory() ? 0 : content.length);
          tar.putArchiveEntry(entry);
          if (!entry.isDirectory()) {
            tar.write(content);
          }
        }
        tar.closeArchiveEntry();
      }
    }
    Path file = Files.createTempFile(dir, "c", ".crate");
    Files.write(file, bytes.toByteArray());
    return file;
  }

  @Test
  void aCrateOfFilesAndFoldersInItsFolderIsRead() throws IOException {
    Path crate = crate("foo-1.0.0/", TarConstants.LF_DIR, "", "foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, MANIFEST,
        "foo-1.0.0/src/lib.rs", TarConstants.LF_NORMAL, "pub fn f() {}");
    assertThat(CargoCrate.read(crate, "foo", "1.0.0")).isEqualTo(new CargoCrate.Manifest("foo", "1.0.0"));
  }

  @Test
  void linksDevicesAndASecondManifestAreRefused() throws IOException {
    Path symlink = crate("foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, MANIFEST, "foo-1.0.0/src", TarConstants.LF_SYMLINK,
        "/etc");
    assertThatThrownBy(() -> CargoCrate.read(symlink, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("neither a file nor a folder");
    Path hardlink = crate("foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, MANIFEST, "foo-1.0.0/x", TarConstants.LF_LINK,
        "../../../../root/.bashrc");
    assertThatThrownBy(() -> CargoCrate.read(hardlink, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class);
    Path device = crate("foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, MANIFEST, "foo-1.0.0/dev", TarConstants.LF_CHR, "");
    assertThatThrownBy(() -> CargoCrate.read(device, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class);
    Path twice = crate("foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, MANIFEST, "foo-1.0.0/cargo.toml",
        TarConstants.LF_NORMAL, "[package]\nname = \"evil\"\nversion = \"1.0.0\"\n");
    assertThatThrownBy(() -> CargoCrate.read(twice, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("more than one");
    Path outside = crate("foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, MANIFEST, "foo-1.0.0/../x", TarConstants.LF_NORMAL,
        "x");
    assertThatThrownBy(() -> CargoCrate.read(outside, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("outside");
    Path none = crate("foo-1.0.0/src/lib.rs", TarConstants.LF_NORMAL, "");
    assertThatThrownBy(() -> CargoCrate.read(none, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("has no foo-1.0.0/Cargo.toml");
    Path badToml = crate("foo-1.0.0/Cargo.toml", TarConstants.LF_NORMAL, "[package\nname=");
    assertThatThrownBy(() -> CargoCrate.read(badToml, "foo", "1.0.0")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("not valid TOML");
  }
}
