package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

final class ReporterTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Io io = new Io(out, err, UTF_8);
  private final Reporter reporter = new Reporter(io);

  @Test
  void aStorageFaultIsOneWarningLineAndIsCounted() {
    reporter.onStorageFault(
        "read", new IOException("cache read failed", new SQLException("disk I/O error")));
    reporter.onStorageFault("write", new IOException(new SQLException("disk full")));
    io.flush();

    assertThat(err.toString(UTF_8).lines())
        .containsExactly(
            "httpcache: warning: cache read failed, continuing without the cache: cache read"
                + " failed",
            "httpcache: warning: cache write failed, continuing without the cache:"
                + " java.sql.SQLException: disk full");
    assertThat(reporter.faults()).isEqualTo(2);
    assertThat(out.size()).isZero();
  }

  @Test
  void anUndecodableEntryIsOneWarningLineAndNotAFault() {
    reporter.onUndecodable("k", new IOException("bad magic\nat byte 0"));
    io.flush();

    assertThat(err.toString(UTF_8).lines())
        .containsExactly(
            "httpcache: warning: deleted an undecodable cache entry: bad magic; at byte 0");
    assertThat(reporter.faults()).isZero();
  }

  @Test
  void remembersWhichKeysWereStored() {
    reporter.onStored("a", 10);

    assertThat(reporter.stored("a")).isTrue();
    assertThat(reporter.stored("b")).isFalse();
  }
}
