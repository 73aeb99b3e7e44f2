package dev.wharf.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path directory;

    private Path root() {
        return directory.resolve("blobs");
    }

    @Override
    protected BlobStore createStore() throws IOException {
        return new FileBlobStore(root());
    }

    @Override
    protected void assertNoPartialContentLeftBehind() throws IOException {
        try (Stream<Path> temporary = Files.list(root().resolve("tmp"))) {
            assertThat(temporary).as("temporary files").isEmpty();
        }
        List<Path> strays = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            files.filter(Files::isRegularFile)
                    .filter(file -> !file.startsWith(root().resolve("tmp")))
                    .filter(file -> !isBlobInPlace(file))
                    .forEach(strays::add);
        }
        assertThat(strays).as("files that are not blobs").isEmpty();
    }

    @Test
    void a_small_file_is_served_mapped_and_its_mapping_goes_with_the_blob() throws IOException {
        String sha256 = store.put(TestingContent.utf8("mapped"), NO_LIMIT, null).sha256();

        try (BlobReader reader = store.openReader(sha256).orElseThrow()) {
            assertThat(reader).isInstanceOf(BlobReader.Mapped.class);
            assertThat(java.nio.charset.StandardCharsets.UTF_8.decode(((BlobReader.Mapped) reader).slice(0, 6))
                    .toString()).isEqualTo("mapped");
        }
        store.delete(sha256);

        assertThat(store.openReader(sha256)).as("no mapping outlives a delete").isEmpty();
    }

    @Test
    void a_file_above_eight_mebibytes_is_read_as_a_channel() throws IOException {
        String sha256 = store.put(TestingContent.generated((8L << 20) + 1, 7), NO_LIMIT, null).sha256();

        try (BlobReader reader = store.openReader(sha256).orElseThrow()) {
            assertThat(reader).isInstanceOf(BlobReader.Channel.class);
        }
    }

    @Test
    void content_stored_again_while_the_collector_deletes_it_is_never_lost() throws Exception {
        String sha256 = store.put(TestingContent.utf8("stored again"), NO_LIMIT, null).sha256();
        Path blob = root().resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
        try (var uploader = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            for (int i = 0; i < 400; i++) {
                if (!Files.exists(blob)) {
                    store.put(TestingContent.utf8("stored again"), NO_LIMIT, null);
                }
                Files.setLastModifiedTime(blob, FileTime.from(Instant.EPOCH)); // an old orphan
                var go = new java.util.concurrent.CountDownLatch(1);
                var again = uploader.submit(() -> {
                    go.await();
                    return store.put(TestingContent.utf8("stored again"), NO_LIMIT, null);
                });
                go.countDown();
                store.deleteIfStoredBefore(sha256, Instant.now().minus(Duration.ofMinutes(1)));
                again.get();
                assertThat(blob).as("after round %d the content stored again is there", i).hasContent("stored again");
            }
        }
        assertNoPartialContentLeftBehind();
    }

    @Test
    void a_blob_lives_under_two_levels_of_prefix_directories_and_is_read_only() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);

        Path blob = root().resolve("2c").resolve("f2").resolve(HELLO.sha256());
        assertThat(blob).isRegularFile().hasContent("hello");
        if (Files.getFileStore(blob).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("r--r--r--");
        }
    }

    @Test
    void opening_a_store_removes_temporary_files_older_than_an_hour_and_keeps_recent_ones() throws IOException {
        store.close();
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Path temporaryDirectory = root().resolve("tmp");
        Path crashLeftover = Files.writeString(temporaryDirectory.resolve("crashed.tmp"), "partial");
        Path inFlight = Files.writeString(temporaryDirectory.resolve("in-flight.tmp"), "partial");
        Files.setLastModifiedTime(crashLeftover, FileTime.from(now.minus(Duration.ofMinutes(61))));
        Files.setLastModifiedTime(inFlight, FileTime.from(now.minus(Duration.ofMinutes(59))));

        store = new FileBlobStore(root(), Clock.fixed(now, ZoneOffset.UTC));

        assertThat(crashLeftover).doesNotExist();
        assertThat(inFlight).exists();
    }

    @Test
    void a_reopened_store_finds_the_blobs_stored_before() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        store.close();

        store = new FileBlobStore(root());

        assertThat(storedShas()).containsExactly(HELLO.sha256());
        assertThat(readString(HELLO.sha256())).isEqualTo("hello");
    }

    @Test
    void storing_existing_content_again_refreshes_its_last_modified_time_for_garbage_collection() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        Path blob = root().resolve("2c").resolve("f2").resolve(HELLO.sha256());
        Instant longAgo = Instant.now().minus(Duration.ofDays(2));
        Files.setLastModifiedTime(blob, FileTime.from(longAgo));
        Instant beforeSecondPut = Instant.now().minusSeconds(5);

        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);

        List<Instant> times = new ArrayList<>();
        store.forEach((sha256, lastModified) -> times.add(lastModified));
        assertThat(times).singleElement().satisfies(time -> assertThat(time).isAfter(beforeSecondPut));
    }

    @Test
    void an_oversized_upload_is_read_no_further_than_one_byte_past_the_limit() throws IOException {
        AtomicLong bytesRead = new AtomicLong();

        assertThatThrownBy(() -> store.put(TestingContent.generated(10_000_000, 3, bytesRead), 100_000, null))
                .isInstanceOf(BlobTooLargeException.class);

        assertThat(bytesRead).hasValue(100_001);
    }

    @Test
    void for_each_ignores_files_that_are_not_blobs_in_their_place() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        Files.writeString(root().resolve("README"), "not a blob");
        Files.writeString(root().resolve("2c").resolve("f2").resolve("notes.txt"), "not a blob");
        Files.createDirectories(root().resolve("zz").resolve("f2"));
        Files.writeString(root().resolve("zz").resolve("f2").resolve(EMPTY.sha256()), "misplaced");
        Files.createDirectories(root().resolve("e3").resolve("b0"));
        Files.writeString(root().resolve("e3").resolve("b0").resolve(HELLO.sha256()), "misplaced");
        Files.writeString(root().resolve("tmp").resolve(EMPTY.sha256()), "temporary");

        assertThat(storedShas()).containsExactly(HELLO.sha256());
    }

    @Test
    void a_prefix_directory_removed_by_hand_is_recreated_by_the_next_put() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        store.delete(HELLO.sha256());
        Files.delete(root().resolve("2c").resolve("f2"));
        Files.delete(root().resolve("2c"));

        assertThat(store.put(TestingContent.utf8("hello"), NO_LIMIT, null)).isEqualTo(HELLO);
        assertThat(readString(HELLO.sha256())).isEqualTo("hello");
    }

    @Test
    void the_store_root_is_created_when_missing() throws IOException {
        Path nested = directory.resolve("a").resolve("b").resolve("blobs");

        try (FileBlobStore created = new FileBlobStore(nested)) {
            assertThat(created.root()).isEqualTo(nested.toAbsolutePath());
            assertThat(nested.resolve("tmp")).isDirectory();
            assertThat(created.exists(HELLO.sha256())).isFalse();
        }
    }

    private boolean isBlobInPlace(Path file) {
        Path relative = root().relativize(file);
        if (relative.getNameCount() != 3) {
            return false;
        }
        String name = relative.getFileName().toString();
        return name.matches("[0-9a-f]{64}")
                && relative.getName(0).toString().equals(name.substring(0, 2))
                && relative.getName(1).toString().equals(name.substring(2, 4));
    }
}
