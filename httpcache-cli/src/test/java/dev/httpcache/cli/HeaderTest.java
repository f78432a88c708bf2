package dev.httpcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class HeaderTest {
  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of("Accept: text/plain", "Accept", "text/plain"),
        Arguments.of("Accept:text/plain", "Accept", "text/plain"),
        Arguments.of("  X-A :  spaced  value ", "X-A", "spaced  value"),
        Arguments.of("X-Time: 12:30:00", "X-Time", "12:30:00"),
        Arguments.of("X-Empty:", "X-Empty", ""));
  }

  @ParameterizedTest
  @MethodSource("headers")
  void splitsAtTheFirstColonAndStripsSpaces(String text, String name, String value) {
    assertThat(Header.parse(text)).isEqualTo(new Header(name, value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NoColon", "", ": value", "Bad Name: value", "Tab\tName: v"})
  void rejectsWhatIsNotAHeaderWithAMessage(String text) {
    assertThatThrownBy(() -> Header.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad header '" + text + "'");
  }
}
