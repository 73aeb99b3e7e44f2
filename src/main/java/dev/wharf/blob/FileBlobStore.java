package dev.wharf.blob;

import dev.wharf.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a local directory: the single-node default.
 *
 * <p>Layout: blob {@code abcdef…} lives at {@code root/ab/cd/abcdef…}, read-only where the file
 * system supports POSIX permissions. Content is first streamed to a randomly named file in {@code
 * root/tmp/}, forced to disk, then atomically renamed into place, and the directory is forced too;
 * so a blob is visible only when complete and durable. Temporary files older than {@link
 * #TEMPORARY_FILE_MAX_AGE} are crash leftovers and are removed when the store is opened.
 */
public final class FileBlobStore implements BlobStore {

    /** Age after which a file in {@code root/tmp/} is taken for a crash leftover when the store opens. */
    public static final Duration TEMPORARY_FILE_MAX_AGE = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);
    private static final String TEMPORARY_DIRECTORY = "tmp";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final FileAttribute<Set<PosixFilePermission>> READ_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--"));
    // Windows cannot open a directory to force it; everywhere else not doing so risks losing a rename.
    private static final boolean FORCE_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private final Path root;
    private final Path temporaryDirectory;
    private final boolean posix;
    /**
     * Blob directories whose entries in their parents are known to be on disk: a bit for each of the 65,536, by the
     * first four hex digits of their blobs' digests (8 KiB; a set of their paths held 10 MB in a store that used
     * most of them).
     */
    private final AtomicLongArray durableDirectories = new AtomicLongArray(65_536 / 64);
    private volatile boolean closed;
    /** Recently read files up to 8 MiB, mapped, 64 MiB of them at most (see {@link MappedBlobs}). */
    private final MappedBlobs mapped = new MappedBlobs(64L << 20, 8L << 20);

    /**
     * Opens (creating if needed) a store in {@code root} and removes leftover temporary files.
     *
     * @throws IOException if the directory cannot be created or read
     */
    public FileBlobStore(Path root) throws IOException {
        this(root, Clock.systemUTC());
    }

    /**
     * Like {@link #FileBlobStore(Path)}, with the clock that decides which temporary files are old
     * enough to be leftovers.
     */
    public FileBlobStore(Path root, Clock clock) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(clock, "clock");
        this.root = root.toAbsolutePath().normalize();
        this.temporaryDirectory = this.root.resolve(TEMPORARY_DIRECTORY);
        boolean rootExisted = Files.isDirectory(this.root);
        Files.createDirectories(temporaryDirectory);
        if (!rootExisted && this.root.getParent() != null) {
            forceDirectory(this.root.getParent());
        }
        forceDirectory(this.root);
        this.posix = Files.getFileAttributeView(this.root, PosixFileAttributeView.class) != null;
        removeLeftoverTemporaryFiles(clock.instant().minus(TEMPORARY_FILE_MAX_AGE));
    }

    /** The directory this store keeps its blobs in. */
    public Path root() {
        return root;
    }

    @Override
    public BlobDigests put(InputStream content, long maxBytes, String expectedSha256) throws IOException {
        BlobStore.requirePutArguments(content, maxBytes, expectedSha256);
        ensureOpen();

        try (IncomingFile temporary = new IncomingFile(temporaryDirectory, TEMPORARY_SUFFIX, "temporary")) {
            // Created read-only (the descriptor still writes), so the mode is on disk with the content.
            FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {READ_ONLY} : new FileAttribute<?>[0];
            BlobDigests digests = temporary.write(content, maxBytes, expectedSha256, null, true, attributes);
            Path target = blobPath(digests.sha256());
            Path directory = target.getParent();
            int prefix = Integer.parseInt(digests.sha256(), 0, 4, 16);
            ensureDurableDirectory(prefix, directory);
            try {
                publish(temporary.path(), target);
            } catch (NoSuchFileException e) {
                // The prefix directory was removed behind the store's back (by hand, say): recreate it once.
                durableDirectories.getAndAccumulate(prefix >>> 6, ~(1L << prefix), (bits, mask) -> bits & mask);
                ensureDurableDirectory(prefix, directory);
                publish(temporary.path(), target);
            }
            temporary.moved();
            forceDirectory(directory);
            return digests;
        }
    }

    /**
     * Renames the complete temporary file onto the blob's path. If the blob already exists the
     * rename replaces it: the content is identical (same SHA-256), readers holding the old file keep
     * reading it, and the fresh last-modified time protects the blob from a garbage collector's
     * grace period. An atomic move never falls back to a copy: {@code tmp/} is inside the root, so
     * {@code AtomicMoveNotSupportedException} means a mount point inside the store, a setup error.
     */
    private static void publish(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Platforms where an atomic move does not replace an existing file: the identical blob is
            // already there, which is all the caller asked for.
            Files.setLastModifiedTime(target, Files.getLastModifiedTime(temporary));
            Files.delete(temporary);
        }
    }

    @Override
    public Optional<InputStream> open(String sha256) throws IOException {
        return readFile(sha256, path -> Optional.of(Files.newInputStream(path)), Optional.empty());
    }

    @Override
    public Optional<BlobReader> openReader(String sha256) throws IOException {
        return readFile(sha256, path -> {
            Optional<BlobReader> mappedFile = mapped.open(sha256, path);
            return mappedFile.isPresent() ? mappedFile : Optional.of(new BlobReader.Channel(FileChannel.open(path)));
        }, Optional.empty());
    }

    @Override
    public boolean exists(String sha256) throws IOException {
        return Files.isRegularFile(checkedPath(sha256));
    }

    @Override
    public long size(String sha256) throws IOException {
        return readFile(sha256, Files::size, -1L);
    }

    @Override
    public Optional<Instant> lastModified(String sha256) throws IOException {
        return readFile(sha256, path -> Optional.of(Files.getLastModifiedTime(path).toInstant()), Optional.empty());
    }

    @Override
    public void delete(String sha256) throws IOException {
        // Empty directories are kept: removing one could race with a put renaming into it.
        Path path = checkedPath(sha256);
        mapped.invalidate(sha256);
        Files.deleteIfExists(path);
    }

    /** Reads something of a blob's file. */
    @FunctionalInterface
    private interface FileRead<T> {
        T from(Path file) throws IOException;
    }

    /** What {@code read} gets from the blob's file, or {@code absent} when there is no such blob. */
    private <T> T readFile(String sha256, FileRead<T> read, T absent) throws IOException {
        Path path = checkedPath(sha256);
        try {
            return read.from(path);
        } catch (NoSuchFileException e) {
            return absent;
        }
    }

    /** The blob's path, once its SHA-256 is checked and the store known to be open. */
    private Path checkedPath(String sha256) {
        Path path = blobPath(BlobStore.requireSha256(sha256));
        ensureOpen();
        return path;
    }

    /**
     * Moves the blob aside first (an atomic rename into {@code tmp/}), then reads the time of what
     * was moved: a put that published the same content before the move left its fresh time on it,
     * and the blob is moved back; a put after the move finds no blob and publishes its own. Either
     * way content stored again is never lost. During the moment the blob is aside it cannot be read;
     * only unreferenced blobs (and content stored again at that moment) are ever moved.
     */
    @Override
    public boolean deleteIfStoredBefore(String sha256, Instant cutoff) throws IOException {
        Path path = blobPath(BlobStore.requireSha256(sha256));
        Objects.requireNonNull(cutoff, "cutoff");
        ensureOpen();
        Path aside = temporaryDirectory.resolve(sha256 + "." + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try {
            Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!Files.getLastModifiedTime(aside).toInstant().isBefore(cutoff)) {
            // Stored again just now: back it goes (over a newer copy of the same content, if one was published meanwhile).
            Files.move(aside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
        mapped.invalidate(sha256);
        Files.delete(aside);
        return true;
    }

    @Override
    public void forEach(BiConsumer<String, Instant> visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        ensureOpen();
        try (DirectoryStream<Path> first = Files.newDirectoryStream(root, FileBlobStore::isPrefixDirectory)) {
            for (Path firstDirectory : first) {
                try (DirectoryStream<Path> second = Files.newDirectoryStream(firstDirectory, FileBlobStore::isPrefixDirectory)) {
                    for (Path secondDirectory : second) {
                        visitBlobs(secondDirectory, visitor);
                    }
                }
            }
        }
    }

    private void visitBlobs(Path directory, BiConsumer<String, Instant> visitor) throws IOException {
        String prefix = directory.getParent().getFileName().toString() + directory.getFileName();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!Sha256.isHex(name) || !name.startsWith(prefix)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // deleted while walking
                }
                if (attributes.isRegularFile()) {
                    visitor.accept(name, attributes.lastModifiedTime().toInstant());
                }
            }
        }
    }

    @Override
    public void checkReachable() throws IOException {
        ensureOpen();
        if (!Files.isDirectory(temporaryDirectory) || !Files.isWritable(temporaryDirectory)) {
            throw new IOException("blob directory " + temporaryDirectory + " is missing or not writable");
        }
    }

    @Override
    public void close() {
        closed = true;
        mapped.close();
    }

    @Override
    public String toString() {
        return "FileBlobStore[" + root + "]";
    }

    private Path blobPath(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Creates {@code root/ab/cd} if needed and makes sure both directory entries are on disk before
     * a blob is published in it, so a forced rename cannot be lost with its directory after a crash.
     */
    private void ensureDurableDirectory(int prefix, Path directory) throws IOException {
        if ((durableDirectories.get(prefix >>> 6) & (1L << prefix)) != 0) {
            return;
        }
        Files.createDirectories(directory);
        forceDirectory(directory.getParent());
        forceDirectory(root);
        durableDirectories.getAndAccumulate(prefix >>> 6, 1L << prefix, (bits, bit) -> bits | bit);
    }

    private void removeLeftoverTemporaryFiles(Instant olderThan) throws IOException {
        int removed = LeftoverFiles.remove(temporaryDirectory, "*", olderThan);
        if (removed > 0) {
            LOG.info("Removed {} leftover temporary file(s) older than {} from {}", removed, TEMPORARY_FILE_MAX_AGE, temporaryDirectory);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        if (FORCE_DIRECTORIES) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    private static boolean isPrefixDirectory(Path path) {
        String name = path.getFileName().toString();
        return name.length() == 2 && isLowerHex(name) && Files.isDirectory(path);
    }

    private static boolean isLowerHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
