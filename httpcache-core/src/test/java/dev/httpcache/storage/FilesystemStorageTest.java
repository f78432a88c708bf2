package dev.httpcache.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.TestClock;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FilesystemStorageTest extends StorageContract {
  @TempDir Path dir;

  @Override
  protected Storage open() throws IOException {
    return Storage.filesystem(root());
  }

  private Path root() {
    return dir.resolve("cache");
  }

  private static byte[] framed(String codec, byte[] payload) {
    byte[] name = codec.getBytes(UTF_8);
    byte[] out = new byte[5 + name.length + payload.length];
    out[0] = 'h';
    out[1] = 'c';
    out[2] = 'f';
    out[3] = 1;
    out[4] = (byte) name.length;
    System.arraycopy(name, 0, out, 5, name.length);
    System.arraycopy(payload, 0, out, 5 + name.length, payload.length);
    return out;
  }

  private static String sha256Shard(String key) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8));
    return HexFormat.of().formatHex(hash).substring(0, 2);
  }

  /** Every path under {@code top} that is not a folder, relative to {@code top}. */
  private static List<Path> filesUnder(Path top) throws IOException {
    try (Stream<Path> walk = Files.walk(top)) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(top::relativize)
          .collect(Collectors.toList());
    }
  }

  /** The entry files of {@code key}'s base name in its shard folder. */
  private List<String> filesOf(Namespace namespace, String key) throws Exception {
    Path folder =
        root()
            .resolve(namespace == Namespace.RESPONSES ? "responses" : "redirects")
            .resolve(sha256Shard(key));
    String base = FileNames.base(key);
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(base + "."))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void foldersAndFilesAreCreatedPrivateToTheOwner() throws IOException {
    Path top = dir.resolve("a");
    try (Storage s = Storage.filesystem(top.resolve("b/cache"))) {
      s.put(Namespace.RESPONSES, "k", bytes("v"), null);
      s.put(Namespace.REDIRECTS, "alias", bytes("k"), null);
      s.put(Namespace.RESPONSES, "json", framed("json-v1", bytes("{}")), LATER);
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(top)) {
      all = walk.collect(Collectors.toList());
    }
    assertThat(all).hasSizeGreaterThan(8);
    for (Path p : all) {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
      assertThat(mode).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
    }
  }

  @Test
  void anEngineKeyIsItsOwnFileNameInTheShardOfItsHash() throws Exception {
    String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes("x")));
    storage.put(Namespace.RESPONSES, key, bytes("entry"), null);
    storage.put(Namespace.REDIRECTS, key, bytes("target"), null);
    Path file = root().resolve("responses").resolve(sha256Shard(key)).resolve(key + ".bin");
    assertThat(file).hasBinaryContent(bytes("entry"));
    assertThat(root().resolve("redirects").resolve(sha256Shard(key)).resolve(key + ".bin"))
        .hasBinaryContent(bytes("target"));
    assertThat(filesUnder(root())).hasSize(2);
  }

  @Test
  void oddKeysGetDistinctSafeNamesInsideTheDirectory() throws Exception {
    List<String> keys =
        List.of(
            "../../escape",
            "..",
            ".",
            "",
            " ",
            "/",
            "/etc/passwd",
            "a/b",
            "a//b",
            "a/./b/../c",
            "\\windows\\path",
            "C:\\x",
            "a.b",
            "trailing.",
            "~",
            "~mfrgg",
            "con",
            "NUL",
            "com1",
            "lpt9.txt",
            "Key",
            "key",
            "KEY",
            "ключ/with spaces?&=end",
            "emoji \uD83D\uDE00",
            "tab\there",
            "new\nline",
            "nul\u0000char",
            "a".repeat(128),
            "é".repeat(62),
            "-rf",
            "_");
    for (String key : keys) {
      storage.put(Namespace.RESPONSES, key, bytes("value of " + key), null);
    }
    for (String key : keys) {
      assertThat(storage.get(Namespace.RESPONSES, key).orElseThrow())
          .as(key)
          .isEqualTo(bytes("value of " + key));
    }
    assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(filesUnder(dir)).allMatch(p -> p.startsWith("cache"));
    List<Path> files = filesUnder(root());
    assertThat(files).hasSize(keys.size());
    for (Path file : files) {
      assertThat(file.getNameCount()).as(file.toString()).isEqualTo(3);
      assertThat(file.getName(0).toString()).isEqualTo("responses");
      assertThat(file.getName(1).toString()).matches("[0-9a-f]{2}");
      assertThat(file.getName(2).toString())
          .matches("[a-z0-9_~-]{1,200}\\.bin")
          .doesNotStartWith(".");
    }
    // Names differ in more than case, so a filesystem that ignores case keeps every key apart.
    assertThat(files.stream().map(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)))
        .doesNotHaveDuplicates();
  }

  @Test
  void keysTooLongForAFileNameAreRefusedNamingTheLimit() throws IOException {
    String plainButLong = "a".repeat(129);
    String encodedTooLong = "é".repeat(63); // 126 UTF-8 bytes
    for (String key : List.of(plainButLong, encodedTooLong)) {
      assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, key, bytes("v"), null))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("124 UTF-8 bytes")
          .hasMessageContaining("128 characters");
      assertThat(storage.get(Namespace.RESPONSES, key)).isEmpty();
      assertThat(storage.remove(Namespace.RESPONSES, key)).isFalse();
    }
    assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, "lone \uD800", bytes("v"), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unicode");
    assertThat(filesUnder(root())).isEmpty();
  }

  @Test
  void expiryRoundTripsThroughTheLastModifiedTime() throws Exception {
    Instant latest = ((FilesystemStorage) storage).latestExpiry();
    Instant far = Instant.parse("2200-01-01T00:00:00Z");
    storage.put(Namespace.RESPONSES, "never", bytes("1"), null);
    storage.put(Namespace.RESPONSES, "past", bytes("2"), PAST);
    storage.put(Namespace.RESPONSES, "later", bytes("3"), LATER);
    storage.put(Namespace.RESPONSES, "far", bytes("4"), far);
    storage.put(Namespace.RESPONSES, "max", bytes("5"), Instant.MAX);
    storage.put(Namespace.RESPONSES, "min", bytes("6"), Instant.MIN);
    storage.put(Namespace.RESPONSES, "fraction", bytes("7"), NOW.plusMillis(123));

    Map<String, Optional<Instant>> expiries =
        scanAll(Namespace.RESPONSES).stream()
            .collect(Collectors.toMap(Item::key, i -> Optional.ofNullable(i.expires())));
    assertThat(expiries.get("never")).isEmpty();
    assertThat(expiries.get("past")).hasValue(PAST);
    assertThat(expiries.get("later")).hasValue(LATER);
    assertThat(expiries.get("far")).hasValue(far.isAfter(latest) ? latest : far);
    assertThat(expiries.get("max")).hasValue(latest);
    assertThat(expiries.get("min")).hasValue(FilesystemStorage.EARLIEST);
    assertThat(expiries.get("fraction")).hasValue(NOW.plusMillis(123));
    assertThat(latest).isAfter(Instant.parse("2038-01-01T00:00:00Z"));

    Path laterFile = root().resolve("responses").resolve(sha256Shard("later")).resolve("later.bin");
    assertThat(Files.getLastModifiedTime(laterFile).toInstant()).isEqualTo(LATER);
    Path neverFile = root().resolve("responses").resolve(sha256Shard("never")).resolve("never.bin");
    assertThat(Files.getLastModifiedTime(neverFile).toInstant()).isEqualTo(Instant.EPOCH);

    // A read records a use and leaves the expiry as it was.
    storage.get(Namespace.RESPONSES, "later");
    assertThat(Files.getLastModifiedTime(laterFile).toInstant()).isEqualTo(LATER);

    assertThat(storage.removeExpired(Namespace.RESPONSES, NOW)).isEqualTo(2);
    assertThat(storage.keys(Namespace.RESPONSES))
        .containsExactlyInAnyOrder("never", "later", "far", "max", "fraction");
  }

  @Test
  void aJsonEntryIsAJsonFileHoldingThePayloadAlone() throws Exception {
    byte[] json = bytes("{\n  \"status\": 200,\n  \"uri\": \"https://example.com/\"\n}");
    byte[] value = framed("json-v1", json);
    storage.put(Namespace.RESPONSES, "j", value, LATER);
    Path file = root().resolve("responses").resolve(sha256Shard("j")).resolve("j.json");
    assertThat(file).hasBinaryContent(json);
    assertThat(storage.get(Namespace.RESPONSES, "j").orElseThrow()).isEqualTo(value);
    assertThat(scanAll(Namespace.RESPONSES)).containsExactly(new Item("j", value.length, LATER));
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(value.length);

    byte[] yaml = bytes("status: 200\nuri: \"https://example.com/\"\n");
    storage.put(Namespace.RESPONSES, "y", framed("yaml-v1", yaml), null);
    assertThat(root().resolve("responses").resolve(sha256Shard("y")).resolve("y.yaml"))
        .hasBinaryContent(yaml);
    assertThat(storage.get(Namespace.RESPONSES, "y").orElseThrow())
        .isEqualTo(framed("yaml-v1", yaml));
  }

  @Test
  void everyOtherValueIsStoredVerbatim() throws Exception {
    byte[] signed = framed("json-v1+hmac-sha256", bytes("{}signature"));
    byte[] binary = framed("binary-v1", new byte[] {0, 1, 2});
    byte[] newerFrame = framed("json-v1", bytes("{}"));
    newerFrame[3] = 2;
    byte[] cut = Arrays.copyOf(framed("json-v1", new byte[0]), 8);
    byte[] empty = new byte[0];
    Map<String, byte[]> values =
        Map.of("signed", signed, "binary", binary, "newer", newerFrame, "cut", cut, "e", empty);
    for (Map.Entry<String, byte[]> entry : values.entrySet()) {
      storage.put(Namespace.RESPONSES, entry.getKey(), entry.getValue(), null);
    }
    for (Map.Entry<String, byte[]> entry : values.entrySet()) {
      Path file =
          root()
              .resolve("responses")
              .resolve(sha256Shard(entry.getKey()))
              .resolve(entry.getKey() + ".bin");
      assertThat(file).hasBinaryContent(entry.getValue());
      assertThat(storage.get(Namespace.RESPONSES, entry.getKey()).orElseThrow())
          .isEqualTo(entry.getValue());
    }
  }

  @Test
  void aChangeOfCodecLeavesOneFilePerKey() throws Exception {
    byte[] json = framed("json-v1", bytes("{\"a\":1}"));
    byte[] yaml = framed("yaml-v1", bytes("a: 1\n"));
    byte[] binary = framed("binary-v1", bytes("\u0001\u0002"));
    storage.put(Namespace.RESPONSES, "k", json, null);
    assertThat(filesOf(Namespace.RESPONSES, "k")).containsExactly("k.json");
    storage.put(Namespace.RESPONSES, "k", binary, null);
    assertThat(filesOf(Namespace.RESPONSES, "k")).containsExactly("k.bin");
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(binary);
    storage.put(Namespace.RESPONSES, "k", yaml, null);
    assertThat(filesOf(Namespace.RESPONSES, "k")).containsExactly("k.yaml");
    storage.put(Namespace.RESPONSES, "k", json, null);
    assertThat(filesOf(Namespace.RESPONSES, "k")).containsExactly("k.json");
    assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(json);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(json.length);
    // Another instance, which has not written anything yet, finds the file whatever its kind.
    try (Storage other = open()) {
      assertThat(other.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(json);
      assertThat(other.remove(Namespace.RESPONSES, "k")).isTrue();
    }
    assertThat(filesOf(Namespace.RESPONSES, "k")).isEmpty();
  }

  @Test
  void valuesOutliveTheStorageThatWroteThem() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("kept"), LATER);
    storage.put(Namespace.RESPONSES, "j", framed("json-v1", bytes("[]")), null);
    storage.put(Namespace.REDIRECTS, "a", bytes("k"), null);
    storage.close();
    try (Storage reopened = open()) {
      assertThat(reopened.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("kept"));
      assertThat(reopened.get(Namespace.RESPONSES, "j").orElseThrow())
          .isEqualTo(framed("json-v1", bytes("[]")));
      assertThat(reopened.get(Namespace.REDIRECTS, "a").orElseThrow()).isEqualTo(bytes("k"));
      assertThat(reopened.count(Namespace.RESPONSES)).isEqualTo(2);
    }
  }

  @Test
  void aPathThatIsAFileIsRefused() throws IOException {
    Path file = dir.resolve("not-a-folder");
    Files.write(file, bytes("x"));
    assertThatThrownBy(() -> Storage.filesystem(file)).isInstanceOf(IOException.class);
    assertThat(file).hasBinaryContent(bytes("x"));
  }

  @Test
  void theLeastRecentlyUsedIsTheOldestLastAccessTimeOfTheFiles() throws Exception {
    TestClock clock = new TestClock();
    Path cache = dir.resolve("lru");
    try (Storage writer = FilesystemStorage.open(cache, clock)) {
      for (int i = 0; i < 6; i++) {
        writer.put(Namespace.RESPONSES, "k" + i, new byte[10], LATER);
        clock.advance(Duration.ofSeconds(1));
      }
      Instant read = clock.instant();
      writer.get(Namespace.RESPONSES, "k0");
      clock.advance(Duration.ofSeconds(1));
      writer.get(Namespace.RESPONSES, "k1");
      Path k0 = cache.resolve("responses").resolve(sha256Shard("k0")).resolve("k0.bin");
      assertThat(Files.readAttributes(k0, "lastAccessTime,lastModifiedTime"))
          .containsEntry("lastAccessTime", FileTime.from(read))
          .containsEntry("lastModifiedTime", FileTime.from(LATER));
    }
    // The times are in the files: another instance (or process) evicts in the same order.
    try (Storage other = FilesystemStorage.open(cache, clock)) {
      assertThat(other.trim(4, Long.MAX_VALUE)).containsExactly("k2", "k3");
      assertThat(other.keys(Namespace.RESPONSES)).containsExactlyInAnyOrder("k0", "k1", "k4", "k5");
    }
  }

  @Test
  void aTrimCatchesUpWithWhatAnotherInstanceWrote() throws IOException {
    assertThat(storage.trim(Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
    try (Storage other = open()) {
      for (int i = 0; i < 8; i++) {
        other.put(Namespace.RESPONSES, "other" + i, new byte[5], null);
        pause();
      }
    }
    for (int i = 0; i < 3; i++) {
      storage.put(Namespace.RESPONSES, "mine" + i, new byte[5], null);
    }
    // This instance counted its own three writes; the walk finds all eleven.
    assertThat(storage.trim(2, Long.MAX_VALUE))
        .hasSize(9)
        .containsSequence("other0", "other1", "other2");
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(2);
    assertThat(storage.trim(2, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void garbageInTheFoldersIsSkipped() throws Exception {
    storage.put(Namespace.RESPONSES, "k", bytes("value"), null);
    Path responses = root().resolve("responses");
    Path shard = responses.resolve(sha256Shard("k"));
    Files.write(responses.resolve("README.txt"), bytes("not a shard"));
    Files.createDirectories(responses.resolve("zz"));
    Files.write(responses.resolve("zz").resolve("k.bin"), bytes("not in a shard"));
    for (String name :
        List.of("Not A Name.bin", "UPPER.bin", "~!!.bin", "x.txt", "noext", ".hidden.bin")) {
      Files.write(shard.resolve(name), bytes("garbage"));
    }
    // The encoded spelling of a plain key is not its name.
    Files.createDirectories(responses.resolve(sha256Shard("abc")));
    Files.write(
        responses
            .resolve(sha256Shard("abc"))
            .resolve("~" + FileNames.base32(bytes("abc")) + ".bin"),
        bytes("garbage"));
    // A folder where a file should be.
    Path folderFile = responses.resolve(sha256Shard("dirkey")).resolve("dirkey.bin");
    Files.createDirectories(folderFile);
    Files.write(folderFile.resolve("inside"), bytes("x"));
    // A file in a shard that is not its key's.
    String wrongShard = sha256Shard("wrong").equals("00") ? "01" : "00";
    Files.createDirectories(responses.resolve(wrongShard));
    Files.write(responses.resolve(wrongShard).resolve("wrong.bin"), bytes("garbage"));
    // A shard that is a file, and a link that leads out of the directory.
    String fileShard = "ff";
    for (String key : List.of("k", "abc", "dirkey", "linked", "wrong")) {
      assertThat(sha256Shard(key)).isNotEqualTo(fileShard);
    }
    Files.write(responses.resolve(fileShard), bytes("a file, not a folder"));
    Path outside = Files.write(dir.resolve("outside"), bytes("secret"));
    Path linkFolder = responses.resolve(sha256Shard("linked"));
    Files.createDirectories(linkFolder);
    Files.createSymbolicLink(linkFolder.resolve("linked.bin"), outside);

    assertThat(storage.keys(Namespace.RESPONSES)).containsExactly("k");
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
    assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(5);
    assertThat(scanAll(Namespace.RESPONSES)).containsExactly(new Item("k", 5, null));
    assertThat(storage.get(Namespace.RESPONSES, "dirkey")).isEmpty();
    assertThat(storage.get(Namespace.RESPONSES, "linked")).isEmpty();
    assertThat(storage.remove(Namespace.RESPONSES, "linked")).isFalse();
    assertThat(storage.remove(Namespace.RESPONSES, "dirkey")).isFalse();
    assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, "dirkey", bytes("v"), null))
        .isInstanceOf(IOException.class);
    assertThat(storage.removeExpired(Namespace.RESPONSES, NOW)).isZero();
    assertThat(storage.trim(0, Long.MAX_VALUE)).containsExactly("k");
    storage.put(Namespace.RESPONSES, "k", bytes("again"), null);
    storage.clear();
    assertThat(storage.keys(Namespace.RESPONSES)).isEmpty();

    // Nothing of the garbage was touched, and no temporary file was left.
    assertThat(folderFile.resolve("inside")).exists();
    assertThat(shard.resolve("UPPER.bin")).exists();
    assertThat(responses.resolve(fileShard)).isRegularFile();
    assertThat(outside).hasBinaryContent(bytes("secret"));
    assertThat(Files.isSymbolicLink(linkFolder.resolve("linked.bin"))).isTrue();
    assertThat(filesUnder(root())).noneMatch(p -> p.getFileName().toString().startsWith(".tmp-"));
  }

  @Test
  void leftoverTemporaryFilesAreDeletedByTrimAndClearOnceStale() throws IOException {
    TestClock clock = new TestClock();
    try (Storage s = FilesystemStorage.open(dir.resolve("temps"), clock)) {
      s.put(Namespace.RESPONSES, "k", bytes("v"), null);
      Path shard = dir.resolve("temps").resolve("responses").resolve(FileNames.shard("k"));
      Path old = Files.write(shard.resolve(".tmp-old"), bytes("half"));
      Path young = Files.write(shard.resolve(".tmp-young"), bytes("half"));
      Files.getFileAttributeView(old, BasicFileAttributeView.class)
          .setTimes(null, FileTime.from(clock.instant().minus(Duration.ofHours(1))), null);
      Files.getFileAttributeView(young, BasicFileAttributeView.class)
          .setTimes(null, FileTime.from(clock.instant().minus(Duration.ofMinutes(1))), null);
      assertThat(s.keys(Namespace.RESPONSES)).containsExactly("k");
      assertThat(s.count(Namespace.RESPONSES)).isEqualTo(1);

      assertThat(s.trim(Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
      assertThat(old).doesNotExist();
      assertThat(young).exists();

      s.clear();
      assertThat(young).exists(); // perhaps another process's write in progress
      clock.advance(FilesystemStorage.STALE_TEMP);
      s.clear();
      assertThat(young).doesNotExist();
    }
  }

  @Test
  void concurrentOverwritesLeaveNoTemporaryFileAndShowNoPartialValue() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String writer = "w" + t + "-";
        results.add(
            pool.submit(
                () -> {
                  int whole = 0;
                  for (int i = 0; i < 300; i++) {
                    String key = FilesystemWriterMain.sharedKey(i);
                    byte[] value = FilesystemWriterMain.sharedValue(writer, i);
                    storage.put(Namespace.RESPONSES, key, value, i % 3 == 0 ? null : LATER);
                    Optional<byte[]> read =
                        storage.get(Namespace.RESPONSES, FilesystemWriterMain.sharedKey(i + 1));
                    FilesystemWriterMain.checkWhole(read);
                    // The files themselves, as another program would read them.
                    for (String extension : List.of(".json", ".bin")) {
                      Path file =
                          root()
                              .resolve("responses")
                              .resolve(FileNames.shard(key))
                              .resolve(key + extension);
                      try {
                        FilesystemWriterMain.checkWhole(Optional.of(Files.readAllBytes(file)));
                        whole++;
                      } catch (NoSuchFileException e) {
                        // replaced by the other extension in between
                      }
                    }
                  }
                  return whole;
                }));
      }
      int whole = 0;
      for (Future<Integer> result : results) {
        whole += result.get();
      }
      assertThat(whole).isPositive();
    } finally {
      pool.shutdownNow();
    }
    assertThat(filesUnder(root())).noneMatch(p -> p.getFileName().toString().startsWith("."));
    for (int i = 0; i < FilesystemWriterMain.SHARED_KEYS; i++) {
      assertThat(filesOf(Namespace.RESPONSES, FilesystemWriterMain.sharedKey(i)))
          .hasSizeLessThan(2);
    }
  }

  @Test
  void twoProcessesShareOneDirectory() throws Exception {
    Process child = FilesystemWriterMain.start(root(), "child-", 300);
    try {
      int i = 0;
      // Go on until the child is done, so that the two processes overlap however slowly it starts.
      for (; i < 300 || (child.isAlive() && i < 1_000_000); i++) {
        if (i < 300) {
          storage.put(Namespace.RESPONSES, "parent-" + i, bytes("parent-" + i), null);
        }
        storage.put(
            Namespace.RESPONSES,
            FilesystemWriterMain.sharedKey(i),
            FilesystemWriterMain.sharedValue("parent-", i),
            LATER);
        FilesystemWriterMain.checkWhole(
            storage.get(Namespace.RESPONSES, FilesystemWriterMain.sharedKey(i + 5)));
        storage.get(Namespace.RESPONSES, "child-" + (i % 300));
      }
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as(FilesystemWriterMain.output(child)).isZero();
      List<String> keys = storage.keys(Namespace.RESPONSES);
      assertThat(keys.stream().filter(k -> k.startsWith("child-"))).hasSize(300);
      assertThat(keys.stream().filter(k -> k.startsWith("parent-"))).hasSize(300);
      assertThat(storage.get(Namespace.RESPONSES, "child-299").orElseThrow())
          .isEqualTo(bytes("child-299"));
      assertThat(filesUnder(root())).noneMatch(p -> p.getFileName().toString().startsWith("."));
    } finally {
      child.destroyForcibly();
    }
  }
}
