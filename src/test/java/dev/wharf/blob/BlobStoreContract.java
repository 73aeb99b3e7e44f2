package dev.wharf.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link BlobStore} must do. An implementation's test extends this class, supplies a
 * fresh empty store and says how to check that a failed put left nothing behind.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class BlobStoreContract {

    protected static final long NO_LIMIT = Long.MAX_VALUE;

    protected static final BlobDigests HELLO = new BlobDigests(
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
            "5d41402abc4b2a76b9719d911017c592",
            "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7"
                    + "2323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
            5);

    protected static final BlobDigests EMPTY = new BlobDigests(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "d41d8cd98f00b204e9800998ecf8427e",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                    + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
            0);

    private static final Duration WAIT = Duration.ofSeconds(60);

    protected BlobStore store;

    /** A new, empty store; the contract closes it after each test. */
    protected abstract BlobStore createStore() throws Exception;

    /**
     * Fails if a put that failed left anything behind: a temporary file, an unfinished upload.
     * Blobs themselves are checked by the contract.
     */
    protected abstract void assertNoPartialContentLeftBehind() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    @Test
    void storing_hello_reports_its_four_known_digests_and_reads_back_the_same_bytes() throws IOException {
        BlobDigests digests = store.put(TestingContent.utf8("hello"), NO_LIMIT, null);

        assertThat(digests).isEqualTo(HELLO);
        assertThat(store.exists(HELLO.sha256())).isTrue();
        assertThat(store.size(HELLO.sha256())).isEqualTo(5);
        assertThat(readString(HELLO.sha256())).isEqualTo("hello");
    }

    @Test
    void a_reader_for_serving_gives_the_same_bytes_from_any_offset_and_nothing_for_a_missing_blob() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);

        try (BlobReader reader = store.openReader(HELLO.sha256()).orElseThrow()) {
            byte[] read = switch (reader) {
                case BlobReader.Mapped mapped -> {
                    java.nio.ByteBuffer slice = mapped.slice(2, 3);
                    byte[] bytes = new byte[slice.remaining()];
                    slice.get(bytes);
                    yield bytes;
                }
                case BlobReader.Channel channel -> {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(3);
                    channel.channel().position(2).read(buffer);
                    yield java.util.Arrays.copyOf(buffer.array(), buffer.position());
                }
                case BlobReader.Stream stream -> {
                    stream.stream().skipNBytes(2);
                    yield stream.stream().readAllBytes();
                }
            };
            assertThat(new String(read, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("llo");
        }
        assertThat(store.openReader(EMPTY.sha256())).isEmpty();
    }

    @Test
    void storing_empty_content_reports_the_known_digests_of_nothing_even_with_a_zero_limit() throws IOException {
        BlobDigests digests = store.put(InputStream.nullInputStream(), 0, EMPTY.sha256());

        assertThat(digests).isEqualTo(EMPTY);
        assertThat(store.size(EMPTY.sha256())).isZero();
        assertThat(readString(EMPTY.sha256())).isEmpty();
    }

    @Test
    @Timeout(120)
    void fifty_megabytes_are_streamed_through_with_correct_digests() throws IOException {
        long size = 50L * 1024 * 1024;
        BlobDigests expected = TestingContent.digestsOf(TestingContent.generated(size, 42));

        BlobDigests digests = store.put(TestingContent.generated(size, 42), NO_LIMIT, expected.sha256());

        assertThat(digests).isEqualTo(expected);
        assertThat(store.size(expected.sha256())).isEqualTo(size);
        try (InputStream stored = store.open(expected.sha256()).orElseThrow()) {
            assertThat(TestingContent.digestsOf(stored)).isEqualTo(expected);
        }
    }

    @Test
    void content_exactly_at_the_size_limit_is_accepted() throws IOException {
        BlobDigests digests = store.put(TestingContent.utf8("hello"), 5, null);

        assertThat(digests).isEqualTo(HELLO);
    }

    @Test
    void content_one_byte_over_the_size_limit_is_rejected_naming_the_limit_and_leaves_nothing_behind() throws Exception {
        byte[] content = TestingContent.bytes(1001, 1);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), 1000, null))
                .isInstanceOfSatisfying(BlobTooLargeException.class, e -> assertThat(e.maxBytes()).isEqualTo(1000))
                .hasMessageContaining("1000");

        assertThat(store.exists(TestingContent.sha256Of(content))).isFalse();
        assertThat(storedShas()).isEmpty();
        assertNoPartialContentLeftBehind();
    }

    @Test
    @Timeout(60)
    void an_endless_stream_is_cut_off_at_the_size_limit() throws Exception {
        AtomicLong bytesRead = new AtomicLong();

        assertThatThrownBy(() -> store.put(TestingContent.endless(bytesRead), 1024 * 1024, null))
                .isInstanceOf(BlobTooLargeException.class);

        assertThat(storedShas()).isEmpty();
        assertNoPartialContentLeftBehind();
    }

    @Test
    void content_whose_sha256_differs_from_the_expected_one_is_rejected_and_leaves_nothing_behind() throws Exception {
        assertThatThrownBy(() -> store.put(TestingContent.utf8("hello"), NO_LIMIT, EMPTY.sha256()))
                .isInstanceOfSatisfying(BlobDigestMismatchException.class, e -> {
                    assertThat(e.expectedSha256()).isEqualTo(EMPTY.sha256());
                    assertThat(e.actualSha256()).isEqualTo(HELLO.sha256());
                });

        assertThat(store.exists(HELLO.sha256())).isFalse();
        assertThat(store.exists(EMPTY.sha256())).isFalse();
        assertThat(storedShas()).isEmpty();
        assertNoPartialContentLeftBehind();
    }

    @Test
    void content_whose_sha256_is_the_expected_one_is_stored() throws IOException {
        assertThat(store.put(TestingContent.utf8("hello"), NO_LIMIT, HELLO.sha256())).isEqualTo(HELLO);
    }

    @Test
    void a_failed_put_never_harms_a_blob_that_is_already_stored() throws Exception {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);

        assertThatThrownBy(() -> store.put(TestingContent.utf8("hello"), 4, null))
                .isInstanceOf(BlobTooLargeException.class);
        assertThatThrownBy(() -> store.put(TestingContent.utf8("hello"), NO_LIMIT, EMPTY.sha256()))
                .isInstanceOf(BlobDigestMismatchException.class);
        assertThatThrownBy(() -> store.put(TestingContent.utf8("not hello"), NO_LIMIT, HELLO.sha256()))
                .isInstanceOf(BlobDigestMismatchException.class);

        assertThat(storedShas()).containsExactly(HELLO.sha256());
        assertThat(readString(HELLO.sha256())).isEqualTo("hello");
        assertNoPartialContentLeftBehind();
    }

    @Test
    void storing_the_same_content_again_returns_the_same_digests_and_keeps_one_blob() throws Exception {
        BlobDigests first = store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        BlobDigests second = store.put(TestingContent.utf8("hello"), NO_LIMIT, HELLO.sha256());

        assertThat(second).isEqualTo(first);
        assertThat(storedShas()).containsExactly(HELLO.sha256());
        assertThat(readString(HELLO.sha256())).isEqualTo("hello");
        assertNoPartialContentLeftBehind();
    }

    @Test
    @Timeout(120)
    void sixteen_threads_storing_the_same_content_all_succeed_and_leave_one_blob() throws Exception {
        byte[] content = TestingContent.bytes(1024 * 1024, 7);
        String sha256 = TestingContent.sha256Of(content);

        List<BlobDigests> results = runTogether(16, thread ->
                store.put(new ByteArrayInputStream(content), NO_LIMIT, sha256));

        assertThat(results).hasSize(16).allSatisfy(digests -> assertThat(digests.sha256()).isEqualTo(sha256));
        assertThat(storedShas()).containsExactly(sha256);
        try (InputStream stored = store.open(sha256).orElseThrow()) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
        assertNoPartialContentLeftBehind();
    }

    @Test
    @Timeout(120)
    void sixteen_threads_storing_different_content_each_find_their_own_blob() throws Exception {
        Map<String, byte[]> contentBySha = new HashMap<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] content = TestingContent.bytes(256 * 1024 + i, 100 + i);
            contents.add(content);
            contentBySha.put(TestingContent.sha256Of(content), content);
        }

        List<BlobDigests> results = runTogether(16, thread ->
                store.put(new ByteArrayInputStream(contents.get(thread)), NO_LIMIT, null));

        assertThat(results).extracting(BlobDigests::sha256).containsExactlyInAnyOrderElementsOf(contentBySha.keySet());
        assertThat(storedShas()).containsExactlyInAnyOrderElementsOf(contentBySha.keySet());
        for (Map.Entry<String, byte[]> entry : contentBySha.entrySet()) {
            try (InputStream stored = store.open(entry.getKey()).orElseThrow()) {
                assertThat(stored.readAllBytes()).isEqualTo(entry.getValue());
            }
        }
        assertNoPartialContentLeftBehind();
    }

    @Test
    @Timeout(120)
    void a_reader_never_sees_a_blob_whose_put_is_still_in_flight() throws Exception {
        byte[] content = TestingContent.bytes(512 * 1024, 9);
        String sha256 = TestingContent.sha256Of(content);
        TestingContent.PausingInputStream pausing = new TestingContent.PausingInputStream(content, content.length / 2);

        try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
            Future<BlobDigests> put = executor.submit(() -> store.put(pausing, NO_LIMIT, null));
            try {
                awaitPaused(pausing, put);

                Optional<InputStream> early = store.open(sha256);
                early.ifPresent(BlobStoreContract::closeQuietly);
                assertThat(early).isEmpty();
                assertThat(store.exists(sha256)).isFalse();
                assertThat(store.size(sha256)).isEqualTo(-1);
                assertThat(storedShas()).isEmpty();
            } finally {
                pausing.resume.countDown();
            }
            assertThat(put.get(WAIT.toSeconds(), TimeUnit.SECONDS).sha256()).isEqualTo(sha256);
        }

        try (InputStream stored = store.open(sha256).orElseThrow()) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void an_absent_blob_cannot_be_opened_does_not_exist_and_has_size_minus_one() throws IOException {
        assertThat(store.open(HELLO.sha256())).isEmpty();
        assertThat(store.exists(HELLO.sha256())).isFalse();
        assertThat(store.size(HELLO.sha256())).isEqualTo(-1);
    }

    @Test
    void delete_removes_a_blob_and_ignores_one_that_is_absent() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        store.put(InputStream.nullInputStream(), NO_LIMIT, null);

        store.delete(HELLO.sha256());
        store.delete(HELLO.sha256());

        assertThat(store.exists(HELLO.sha256())).isFalse();
        assertThat(store.open(HELLO.sha256())).isEmpty();
        assertThat(storedShas()).containsExactly(EMPTY.sha256());
    }

    @Test
    void a_deleted_blob_can_be_stored_again() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        store.delete(HELLO.sha256());

        assertThat(store.put(TestingContent.utf8("hello"), NO_LIMIT, null)).isEqualTo(HELLO);
        assertThat(readString(HELLO.sha256())).isEqualTo("hello");
    }

    @Test
    void for_each_visits_every_stored_blob_once_with_the_time_it_was_stored() throws IOException {
        Instant before = Instant.now().minusSeconds(5);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(store.put(TestingContent.generated(100 + i, i), NO_LIMIT, null).sha256());
        }
        Instant after = Instant.now().plusSeconds(5);

        Map<String, Instant> visited = new HashMap<>();
        List<String> visits = new ArrayList<>();
        store.forEach((sha256, lastModified) -> {
            visits.add(sha256);
            visited.put(sha256, lastModified);
        });

        assertThat(visits).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(visited.values()).allSatisfy(time -> assertThat(time).isBetween(before, after));
    }

    @Test
    void last_modified_is_the_time_for_each_reports_and_empty_for_an_absent_blob() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);
        Map<String, Instant> visited = new HashMap<>();
        store.forEach(visited::put);

        assertThat(store.lastModified(HELLO.sha256())).contains(visited.get(HELLO.sha256()));
        assertThat(store.lastModified(EMPTY.sha256())).isEmpty();
        assertThatThrownBy(() -> store.lastModified("hello")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void for_each_on_an_empty_store_visits_nothing() throws IOException {
        assertThat(storedShas()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "hello",
        "../../../../../../etc/passwd",
        "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98244",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982g",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982/",
        "../../2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e7304336293",
        " 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982\n",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982\u0000",
        "\uff12cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
    })
    void a_malformed_sha256_is_rejected_by_every_method(String malformed) {
        assertThatThrownBy(() -> store.open(malformed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.exists(malformed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.size(malformed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(malformed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(TestingContent.utf8("hello"), NO_LIMIT, malformed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_missing_sha256_is_rejected() {
        assertThatNullPointerException().isThrownBy(() -> store.open(null));
        assertThatNullPointerException().isThrownBy(() -> store.exists(null));
        assertThatNullPointerException().isThrownBy(() -> store.size(null));
        assertThatNullPointerException().isThrownBy(() -> store.delete(null));
    }

    @Test
    void a_negative_size_limit_is_rejected() {
        assertThatThrownBy(() -> store.put(TestingContent.utf8("hello"), -1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void put_leaves_closing_the_stream_to_the_caller() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream content = new FilterInputStream(TestingContent.utf8("hello")) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };

        store.put(content, NO_LIMIT, null);

        assertThat(closed).isFalse();
    }

    @Test
    void a_closed_store_refuses_further_use() throws IOException {
        store.put(TestingContent.utf8("hello"), NO_LIMIT, null);

        store.close();

        assertThatThrownBy(() -> store.open(HELLO.sha256())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.put(TestingContent.utf8("hello"), NO_LIMIT, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.forEach((sha256, time) -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void delete_if_stored_before_removes_a_blob_only_when_it_was_stored_before_the_cutoff() throws Exception {
        String sha256 = store.put(TestingContent.utf8("hello"), NO_LIMIT, null).sha256();

        assertThat(store.deleteIfStoredBefore(sha256, Instant.now().minus(Duration.ofHours(1)))).isFalse();
        assertThat(readString(sha256)).isEqualTo("hello");
        assertThat(store.deleteIfStoredBefore(sha256, Instant.now().plus(Duration.ofHours(1)))).isTrue();
        assertThat(store.exists(sha256)).isFalse();
        assertThat(store.deleteIfStoredBefore(sha256, Instant.now().plus(Duration.ofHours(1)))).as("absent").isFalse();
        assertNoPartialContentLeftBehind();
    }

    /** Every SHA-256 that {@link BlobStore#forEach} reports, in the order it reports them. */
    protected List<String> storedShas() throws IOException {
        List<String> shas = new ArrayList<>();
        store.forEach((sha256, lastModified) -> shas.add(sha256));
        return shas;
    }

    protected String readString(String sha256) throws IOException {
        try (InputStream stored = store.open(sha256).orElseThrow()) {
            return new String(stored.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A task run by several threads at once; {@code thread} is 0, 1, … */
    protected interface ThreadTask<T> {
        T run(int thread) throws Exception;
    }

    /** Starts {@code threads} threads, releases them at the same moment and returns their results. */
    protected static <T> List<T> runTogether(int threads, ThreadTask<T> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                int thread = i;
                Callable<T> callable = () -> {
                    ready.countDown();
                    if (!start.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("threads never started together");
                    }
                    return task.run(thread);
                };
                futures.add(executor.submit(callable));
            }
            assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("all threads ready").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            return results;
        }
    }

    /** Waits until the put is paused mid-stream; fails at once if it ended (failed) instead. */
    private static void awaitPaused(TestingContent.PausingInputStream pausing, Future<BlobDigests> put) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!pausing.paused.await(50, TimeUnit.MILLISECONDS)) {
            if (put.isDone()) {
                put.get(); // rethrows the put's failure, if any
                throw new AssertionError("put finished without pausing halfway through its content");
            }
            assertThat(Instant.now()).as("put paused mid-stream in time").isBefore(deadline);
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // only closing a stream the assertion is about to reject
        }
    }
}
