package dev.httpcache.storage;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The filesystem storage: one file per value, under a directory.
 *
 * <pre>
 * &lt;dir&gt;/responses/&lt;shard&gt;/&lt;name&gt;.json|.yaml|.bin
 * &lt;dir&gt;/redirects/&lt;shard&gt;/&lt;name&gt;.bin
 * </pre>
 *
 * <p>The shard (256 folders per namespace) and the name come from the key, as {@link FileNames}
 * says; {@link #keys} and {@link #scan} recover keys from names and skip every file or folder whose
 * name is not one this storage would write.
 *
 * <p><b>Readable entries.</b> A value that is an entry framed by the engine with the codec {@code
 * json-v1} (the frame is {@code 'h' 'c' 'f' 1 length codec-name payload}) is stored as {@code
 * <name>.json} holding the payload alone, pure JSON; {@code yaml-v1} likewise as {@code
 * <name>.yaml}; any other value verbatim as {@code <name>.bin}. {@link #get} puts the frame back.
 * This is the one place where a storage knows the engine's frame; it reads nothing else of it. A
 * put removes the key's files of the other two extensions, so that a change of codec leaves one
 * file per key.
 *
 * <p><b>Times in file attributes, no side files.</b> A file's last-modified time is its value's
 * expiry; {@link #NEVER 1970-01-01T00:00:00Z} means never. Expiries before {@link #EARLIEST} are
 * stored as it, those beyond what the filesystem holds (found when the storage opens, by writing
 * and reading back a probe file's times) as the latest time it holds. Its last-access time is the
 * value's last use, set explicitly on every write and read, whatever {@code noatime} or {@code
 * relatime} say. Both are set on the temporary file before the rename that publishes it.
 *
 * <p><b>Atomic writes.</b> A value is written to a temporary file in its shard folder (named {@code
 * .tmp-*}, which listings skip), then renamed over the old file: a reader, in this process or
 * another, sees the old value, the new one, or (while a remove or a change of extension runs) none,
 * never a part of one. Files are not synced to the disk (no {@code fsync}): a crash of the process
 * loses nothing that was written, a power loss may lose the last writes or leave them empty, and an
 * empty or damaged entry fails to decode, which the engine treats as a miss. Temporary files that a
 * crashed writer left are deleted by {@link #clear} and {@link #trim} once their last access is
 * {@link #STALE_TEMP} old.
 *
 * <p><b>Sizes and bounds.</b> {@link #count}, {@link #bytes} and {@link #keys} walk the namespace
 * (a directory listing and a {@code stat} per file): exact, and O(entries). {@link #trim} keeps
 * estimates of the entries and bytes of the responses, counted by one walk on the first trim and
 * then moved by this instance's own writes and removes, so that it costs nothing while they are
 * under the bounds. Over a bound, it walks twice: once to count exactly (which also catches up with
 * other processes' writes), once to keep, in a heap, the least recently used entries that must go;
 * then it removes them, oldest first, skipping any that was used in the meantime.
 */
final class FilesystemStorage implements Storage {
  private static final System.Logger LOG = System.getLogger(FilesystemStorage.class.getName());

  /** The expiry stored for values that never expire: the epoch, which filesystems can hold. */
  static final Instant NEVER = Instant.EPOCH;

  /**
   * The earliest expiry stored; earlier ones are stored as this, one second after {@link #NEVER}.
   */
  static final Instant EARLIEST = NEVER.plusSeconds(1);

  /** What names of temporary files start with; listings skip them. */
  static final String TEMP_PREFIX = ".tmp-";

  /** How long after its last access a temporary file counts as left behind by a crash. */
  static final Duration STALE_TEMP = Duration.ofMinutes(15);

  private static final int SHARDS = 256;
  private static final String RESPONSES_FOLDER = "responses";
  private static final String REDIRECTS_FOLDER = "redirects";

  /** The latest expiry tried first when probing the filesystem. */
  private static final Instant FAR = Instant.parse("9999-12-31T23:59:59Z");

  /** Known limits of filesystems and of the JDK, tried in turn when the far time does not hold. */
  private static final List<Instant> LIMITS =
      List.of(
          Instant.parse("2446-05-10T22:38:55Z"), // ext4
          Instant.parse("2262-04-11T23:47:16Z"), // nanoseconds in a long
          Instant.parse("2106-02-07T06:28:15Z"), // unsigned 32-bit seconds
          Instant.ofEpochSecond(Integer.MAX_VALUE)); // signed 32-bit seconds

  private static final Set<OpenOption> CREATE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final Set<OpenOption> READ =
      Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  /** Least recently used first; ties broken by key so that the order is total. */
  private static final Comparator<Found> BY_USE =
      Comparator.comparing(Found::accessed).thenComparing(Found::key);

  /** What a file holds, by its extension; the order is the order of preference of duplicates. */
  enum Kind {
    JSON("json", "json-v1"),
    YAML("yaml", "yaml-v1"),
    BIN("bin", "");

    final String extension;

    /** The codec whose frame the file leaves out and a read puts back; empty for {@link #BIN}. */
    private final String codec;

    Kind(String extension, String codec) {
      this.extension = extension;
      this.codec = codec;
    }

    /** Returns the kind of file that {@code value} is stored as. */
    static Kind of(byte[] value) {
      for (Kind kind : values()) {
        if (!kind.codec.isEmpty() && kind.frames(value)) {
          return kind;
        }
      }
      return BIN;
    }

    /** Whether {@code value} starts with the frame of this kind's codec. */
    private boolean frames(byte[] value) {
      int n = codec.length();
      if (value.length < 5 + n
          || value[0] != 'h'
          || value[1] != 'c'
          || value[2] != 'f'
          || value[3] != 1
          || value[4] != n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (value[5 + i] != codec.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** Returns the kind whose extension is {@code extension}, or null. */
    static @Nullable Kind byExtension(String extension) {
      for (Kind kind : values()) {
        if (kind.extension.equals(extension)) {
          return kind;
        }
      }
      return null;
    }

    /** How many bytes of a value are not in its file: the frame. */
    int overhead() {
      return codec.isEmpty() ? 0 : 5 + codec.length();
    }

    /** Returns the value that a file of this kind holding {@code contents} stands for. */
    byte[] value(byte[] contents) {
      if (codec.isEmpty()) {
        return contents;
      }
      int n = codec.length();
      byte[] value = new byte[5 + n + contents.length];
      value[0] = 'h';
      value[1] = 'c';
      value[2] = 'f';
      value[3] = 1;
      value[4] = (byte) n;
      System.arraycopy(codec.getBytes(StandardCharsets.US_ASCII), 0, value, 5, n);
      System.arraycopy(contents, 0, value, 5 + n, contents.length);
      return value;
    }
  }

  /** One entry file found by a listing. */
  private record Found(
      String key, Path file, Kind kind, long size, FileTime modified, FileTime accessed) {

    @Nullable Instant expires() {
      Instant at = modified.toInstant();
      return at.equals(NEVER) ? null : at;
    }
  }

  private final Path root;
  private final Path responses;
  private final Path redirects;
  private final InstantSource clock;
  private final Instant latestExpiry;
  private final FileAttribute<?>[] fileMode;
  private final FileAttribute<?>[] folderMode;

  // Running estimates of the responses, for trim; exact after each trim's walk.
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean estimated;
  private final ReentrantLock trimming = new ReentrantLock();

  // The kind each namespace wrote or found last, which a get tries first.
  private volatile Kind lastResponseKind = Kind.BIN;
  private volatile Kind lastRedirectKind = Kind.BIN;

  private volatile boolean closed;

  private FilesystemStorage(
      Path root,
      InstantSource clock,
      Instant latestExpiry,
      FileAttribute<?>[] fileMode,
      FileAttribute<?>[] folderMode) {
    this.root = root;
    this.responses = root.resolve(RESPONSES_FOLDER);
    this.redirects = root.resolve(REDIRECTS_FOLDER);
    this.clock = clock;
    this.latestExpiry = latestExpiry;
    this.fileMode = fileMode;
    this.folderMode = folderMode;
  }

  /**
   * Opens (creating it, its parent folders and its two namespace folders if needed) the storage in
   * {@code directory}, stamping uses with {@code clock}.
   *
   * @throws IOException when the folders cannot be created, or the filesystem cannot hold the times
   *     this storage keeps in file attributes
   */
  static FilesystemStorage open(Path directory, InstantSource clock) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    Path root = directory.toAbsolutePath().normalize();
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] folderMode =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
            }
            : new FileAttribute<?>[0];
    FileAttribute<?>[] fileMode =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Files.createDirectories(root, folderMode);
    Files.createDirectories(root.resolve(RESPONSES_FOLDER), folderMode);
    Files.createDirectories(root.resolve(REDIRECTS_FOLDER), folderMode);
    Instant latest = probeTimes(root, fileMode);
    return new FilesystemStorage(root, clock, latest, fileMode, folderMode);
  }

  /**
   * Checks, on a probe file, that the filesystem holds the expiry times this storage writes, and
   * returns the latest one it holds.
   */
  private static Instant probeTimes(Path root, FileAttribute<?>[] fileMode) throws IOException {
    Path probe =
        root.resolve(
            TEMP_PREFIX
                + "probe-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
    FileChannel.open(probe, CREATE, fileMode).close();
    try {
      BasicFileAttributeView view = Files.getFileAttributeView(probe, BasicFileAttributeView.class);
      if (!stamp(view, NEVER).equals(NEVER) || !stamp(view, EARLIEST).equals(EARLIEST)) {
        throw new IOException(
            root
                + " is on a filesystem that cannot hold the file times "
                + NEVER
                + " and "
                + EARLIEST
                + ", which the filesystem storage uses for expiry (FAT and exFAT cannot);"
                + " choose a directory on another filesystem");
      }
      Instant latest = latestTime(view);
      Instant used = Instant.parse("2001-09-09T01:46:40Z");
      view.setTimes(null, FileTime.from(used), null);
      if (!view.readAttributes().lastAccessTime().toInstant().equals(used)) {
        LOG.log(
            Level.WARNING,
            "the filesystem of {0} does not keep last-access times; a bounded cache there evicts"
                + " entries in no particular order",
            root);
      }
      return latest;
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private static Instant latestTime(BasicFileAttributeView view) throws IOException {
    Instant held = stamp(view, FAR);
    if (held.equals(FAR)) {
      return FAR;
    }
    // A filesystem (or the JDK) that clamps gives its limit back; one that wraps around gives
    // nonsense, which the known limits below replace.
    Instant clamped = held.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (clamped.isAfter(LIMITS.get(LIMITS.size() - 1)) && stamp(view, clamped).equals(clamped)) {
      return clamped;
    }
    for (Instant limit : LIMITS) {
      if (stamp(view, limit).equals(limit)) {
        return limit;
      }
    }
    throw new IOException("the filesystem cannot hold a file time of " + LIMITS.get(0));
  }

  /** Sets the last-modified time of the probe and returns what the filesystem kept. */
  private static Instant stamp(BasicFileAttributeView view, Instant time) throws IOException {
    view.setTimes(FileTime.from(time), null, null);
    return view.readAttributes().lastModifiedTime().toInstant();
  }

  /** Returns the latest expiry this storage stores; later ones are stored as it. */
  Instant latestExpiry() {
    return latestExpiry;
  }

  /** Returns the file time that stands for {@code expires}. */
  private FileTime expiryTime(@Nullable Instant expires) {
    if (expires == null) {
      return FileTime.from(NEVER);
    }
    if (expires.isBefore(EARLIEST)) {
      return FileTime.from(EARLIEST);
    }
    return FileTime.from(expires.isAfter(latestExpiry) ? latestExpiry : expires);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the filesystem storage " + root + " is closed");
    }
  }

  private Path folder(Namespace namespace) {
    return namespace == Namespace.RESPONSES ? responses : redirects;
  }

  private Path folder(Namespace namespace, String key) {
    return folder(namespace).resolve(FileNames.shard(key));
  }

  private static Path file(Path folder, String base, Kind kind) {
    return folder.resolve(base + '.' + kind.extension);
  }

  private Kind lastKind(Namespace namespace) {
    return namespace == Namespace.RESPONSES ? lastResponseKind : lastRedirectKind;
  }

  private void lastKind(Namespace namespace, Kind kind) {
    if (namespace == Namespace.RESPONSES) {
      lastResponseKind = kind;
    } else {
      lastRedirectKind = kind;
    }
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    checkOpen();
    String base = FileNames.baseOrNull(key);
    if (base == null) {
      return Optional.empty(); // no file can hold it
    }
    Path folder = folder(namespace, key);
    Kind first = lastKind(namespace);
    Kind found = first;
    byte[] contents = read(file(folder, base, first));
    if (contents == null) {
      for (Kind kind : Kind.values()) {
        if (kind != first) {
          Path file = file(folder, base, kind);
          // Usually absent: a stat is a third of the cost of an open that throws.
          contents = Files.isRegularFile(file) ? read(file) : null;
          if (contents != null) {
            found = kind;
            break;
          }
        }
      }
      if (contents == null) {
        return Optional.empty();
      }
    }
    touch(file(folder, base, found));
    if (found != first) {
      lastKind(namespace, found);
    }
    return Optional.of(found.value(contents));
  }

  /** Reads a whole entry file; null when there is none, or it is not a regular file. */
  private static byte @Nullable [] read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException(file + " is too large for a cache entry: " + size + " bytes");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          // Files are replaced, never changed in place, so only a hand-made change gets here.
          return Arrays.copyOf(buffer.array(), buffer.position());
        }
      }
      return buffer.array();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // A folder or a symbolic link where a file should be is not an entry.
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      throw e;
    }
  }

  /** Records a use of {@code file}: its last-access time becomes now; its expiry stays. */
  private void touch(Path file) {
    try {
      Files.getFileAttributeView(file, BasicFileAttributeView.class)
          .setTimes(null, FileTime.from(clock.instant()), null);
    } catch (NoSuchFileException e) {
      // Removed since it was read: there is nothing left to record the use on.
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "recording the use of " + file + " failed", e);
    }
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    checkOpen();
    Objects.requireNonNull(value, "value");
    String base = FileNames.base(key);
    Kind kind = Kind.of(value);
    Path folder = folder(namespace, key);
    Path temp = writeTemporary(folder, value, kind.overhead());
    Path target = file(folder, base, kind);
    long replaced;
    boolean published = false;
    try {
      Files.getFileAttributeView(temp, BasicFileAttributeView.class)
          .setTimes(expiryTime(expires), FileTime.from(clock.instant()), null);
      replaced = size(target, kind);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the filesystem of " + root + " cannot rename files atomically", e);
      }
      published = true;
    } finally {
      if (!published) {
        deleteQuietly(temp);
      }
    }
    lastKind(namespace, kind);
    long freed = Math.max(replaced, 0);
    boolean existed = replaced >= 0;
    for (Kind other : Kind.values()) {
      if (other != kind) {
        long size = delete(file(folder, base, other), other);
        if (size >= 0) {
          freed += size;
          existed = true;
        }
      }
    }
    if (namespace == Namespace.RESPONSES) {
      if (!existed) {
        entries.incrementAndGet();
      }
      bytes.addAndGet(value.length - freed);
    }
  }

  /**
   * Writes {@code value} from {@code offset} on to a new temporary file in {@code folder} (created
   * if it is missing) and returns the file.
   */
  private Path writeTemporary(Path folder, byte[] value, int offset) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path temp =
          folder.resolve(
              TEMP_PREFIX + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      FileChannel channel;
      try {
        channel = FileChannel.open(temp, CREATE, fileMode);
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw e;
        }
        Files.createDirectories(folder, folderMode);
        continue;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 3) {
          throw e;
        }
        continue;
      }
      try (channel) {
        ByteBuffer buffer = ByteBuffer.wrap(value, offset, value.length - offset);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException | RuntimeException e) {
        deleteQuietly(temp);
        throw e;
      }
      return temp;
    }
  }

  /** Returns the size of the value in an entry file, or -1 when there is no such regular file. */
  private static long size(Path file, Kind kind) throws IOException {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() ? attributes.size() + kind.overhead() : -1;
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  /**
   * Deletes an entry file and returns the size of the value it held, or -1 when there was no such
   * regular file; whatever else has the name (a folder, a link) is left alone.
   */
  private static long delete(Path file, Kind kind) throws IOException {
    long size = size(file, kind);
    if (size < 0) {
      return -1;
    }
    try {
      Files.delete(file);
      return size;
    } catch (NoSuchFileException e) {
      return -1; // removed by another thread or process in between
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "deleting " + file + " failed", e);
    }
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    checkOpen();
    String base = FileNames.baseOrNull(key);
    return base != null && removeFiles(namespace, folder(namespace, key), base) >= 0;
  }

  /**
   * Deletes the entry files of one key and returns the size of the values they held, or -1 when
   * there was none.
   */
  private long removeFiles(Namespace namespace, Path folder, String base) throws IOException {
    long freed = -1;
    for (Kind kind : Kind.values()) {
      long size = delete(file(folder, base, kind), kind);
      if (size >= 0) {
        freed = Math.max(freed, 0) + size;
      }
    }
    if (freed >= 0 && namespace == Namespace.RESPONSES) {
      entries.decrementAndGet();
      bytes.addAndGet(-freed);
    }
    return freed;
  }

  // ---- listings ----

  /**
   * Lists the entry files of one shard folder, with their attributes, duplicates included (one key
   * may briefly have files of two extensions while a put changes it). When {@code sweep}, deletes
   * the temporary files left behind on the way.
   */
  private List<Found> list(Namespace namespace, int shard, boolean sweep) throws IOException {
    String shardName = FileNames.shard(shard);
    Path folder = folder(namespace).resolve(shardName);
    Instant staleBefore = clock.instant().minus(STALE_TEMP);
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path file : files) {
        Path fileName = file.getFileName();
        if (fileName == null) {
          continue;
        }
        String name = fileName.toString();
        if (name.startsWith(TEMP_PREFIX)) {
          if (sweep) {
            sweep(file, staleBefore);
          }
          continue;
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
          continue;
        }
        Kind kind = Kind.byExtension(name.substring(dot + 1));
        if (kind == null) {
          continue;
        }
        String key = FileNames.key(name.substring(0, dot));
        if (key == null || !FileNames.shard(key).equals(shardName)) {
          continue; // not a name this storage writes, or not where it would write it
        }
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (attributes.isRegularFile()) {
          found.add(
              new Found(
                  key,
                  file,
                  kind,
                  attributes.size() + kind.overhead(),
                  attributes.lastModifiedTime(),
                  attributes.lastAccessTime()));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of(); // no value has been written to this shard yet
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    return found;
  }

  /** Keeps one file per key: the one a get reads when the storage has no preference. */
  private static Collection<Found> distinct(List<Found> files) {
    Map<String, Found> byKey = new HashMap<>();
    for (Found file : files) {
      byKey.merge(file.key(), file, (a, b) -> a.kind().compareTo(b.kind()) <= 0 ? a : b);
    }
    return byKey.values();
  }

  /** Deletes a temporary file whose last access is before {@code staleBefore}. */
  private static void sweep(Path file, Instant staleBefore) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isRegularFile()
          && attributes.lastAccessTime().toInstant().isBefore(staleBefore)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "deleting the temporary file " + file + " failed", e);
    }
  }

  /** Returns the number of values of {@code namespace} and their size in bytes. */
  private long[] totals(Namespace namespace, boolean sweep) throws IOException {
    long count = 0;
    long size = 0;
    for (int shard = 0; shard < SHARDS; shard++) {
      for (Found file : distinct(list(namespace, shard, sweep))) {
        count++;
        size += file.size();
      }
    }
    return new long[] {count, size};
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    checkOpen();
    List<String> keys = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      for (Found file : distinct(list(namespace, shard, false))) {
        keys.add(file.key());
      }
    }
    return keys;
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    checkOpen();
    return totals(namespace, false)[0];
  }

  @Override
  public long bytes(Namespace namespace) throws IOException {
    checkOpen();
    return totals(namespace, false)[1];
  }

  @Override
  public Cursor scan(Namespace namespace) throws IOException {
    checkOpen();
    return new Cursor() {
      private final ArrayDeque<Item> page = new ArrayDeque<>();
      private int shard;
      private boolean done;

      @Override
      public Optional<Item> next() throws IOException {
        // One shard folder at a time: memory holds a 256th of the keys at most.
        while (page.isEmpty() && !done && shard < SHARDS) {
          checkOpen();
          for (Found file : distinct(list(namespace, shard++, false))) {
            page.add(new Item(file.key(), file.size(), file.expires()));
          }
        }
        return Optional.ofNullable(page.pollFirst());
      }

      @Override
      public void close() {
        done = true;
        page.clear();
      }
    };
  }

  @Override
  public long removeExpired(Namespace namespace, Instant now) throws IOException {
    checkOpen();
    Objects.requireNonNull(now, "now");
    long removed = 0;
    for (int shard = 0; shard < SHARDS; shard++) {
      Set<String> keys = new HashSet<>();
      for (Found file : list(namespace, shard, false)) {
        Instant expires = file.expires();
        if (expires != null && !expires.isAfter(now) && delete(file.file(), file.kind()) >= 0) {
          if (keys.add(file.key()) && namespace == Namespace.RESPONSES) {
            entries.decrementAndGet();
          }
          if (namespace == Namespace.RESPONSES) {
            bytes.addAndGet(-file.size());
          }
        }
      }
      removed += keys.size();
    }
    return removed;
  }

  @Override
  public boolean evicts() {
    return true;
  }

  @Override
  public List<String> trim(long maxEntries, long maxBytes) throws IOException {
    checkOpen();
    if (estimated && entries.get() <= maxEntries && bytes.get() <= maxBytes) {
      return List.of();
    }
    trimming.lock();
    try {
      if (estimated && entries.get() <= maxEntries && bytes.get() <= maxBytes) {
        return List.of(); // another thread trimmed while this one waited
      }
      long[] exact = totals(Namespace.RESPONSES, true);
      entries.set(exact[0]);
      bytes.set(exact[1]);
      estimated = true;
      if (exact[0] <= maxEntries && exact[1] <= maxBytes) {
        return List.of();
      }
      long entryTarget = Eviction.target(maxEntries);
      long byteTarget = Eviction.target(maxBytes);
      List<Found> oldest =
          leastRecentlyUsed(
              Math.max(0, exact[0] - entryTarget), Math.max(0, exact[1] - byteTarget));
      long count = exact[0];
      long size = exact[1];
      List<String> removed = new ArrayList<>();
      for (Found file : oldest) {
        if (count <= entryTarget && size <= byteTarget) {
          break;
        }
        if (usedSince(file)) {
          continue; // read or rewritten since the walk: no longer among the oldest
        }
        Path folder = file.file().getParent();
        String base = FileNames.baseOrNull(file.key());
        if (folder == null || base == null) {
          continue;
        }
        long freed = removeFiles(Namespace.RESPONSES, folder, base);
        if (freed >= 0) {
          removed.add(file.key());
          count--;
          size -= freed;
        }
      }
      return removed;
    } finally {
      trimming.unlock();
    }
  }

  /**
   * Walks the responses and returns, least recently used first, the fewest oldest entries that hold
   * at least {@code entries} values and {@code bytes} bytes, keeping no more than those in memory.
   */
  private List<Found> leastRecentlyUsed(long entries, long bytes) throws IOException {
    PriorityQueue<Found> newestFirst = new PriorityQueue<>(BY_USE.reversed());
    long held = 0;
    for (int shard = 0; shard < SHARDS; shard++) {
      for (Found file : distinct(list(Namespace.RESPONSES, shard, false))) {
        newestFirst.add(file);
        held += file.size();
        for (Found newest = newestFirst.peek();
            newest != null && newestFirst.size() - 1 >= entries && held - newest.size() >= bytes;
            newest = newestFirst.peek()) {
          newestFirst.poll();
          held -= newest.size();
        }
      }
    }
    List<Found> oldest = new ArrayList<>(newestFirst);
    oldest.sort(BY_USE);
    return oldest;
  }

  /** Whether {@code file} was read, rewritten or removed since it was listed. */
  private static boolean usedSince(Found file) throws IOException {
    try {
      BasicFileAttributes now =
          Files.readAttributes(file.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return !now.lastAccessTime().equals(file.accessed())
          || !now.lastModifiedTime().equals(file.modified());
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  @Override
  public void clear() throws IOException {
    checkOpen();
    for (Namespace namespace : Namespace.values()) {
      for (int shard = 0; shard < SHARDS; shard++) {
        for (Found file : list(namespace, shard, true)) {
          Files.deleteIfExists(file.file());
        }
      }
    }
    entries.set(0);
    bytes.set(0);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FilesystemStorage[" + root + "]";
  }
}
