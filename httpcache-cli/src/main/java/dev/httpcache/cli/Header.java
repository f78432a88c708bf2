package dev.httpcache.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A request header given as {@code -H "Name: value"}. */
record Header(String name, String value) {

  /**
   * Parses {@code Name: value}: the name is what comes before the first colon, the value what
   * follows it, both without surrounding spaces; an empty value is sent empty.
   *
   * @throws IllegalArgumentException when there is no colon or no name, or the name has spaces
   */
  static Header parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("bad header '" + text + "': expected 'Name: value'");
    }
    String name = text.substring(0, colon).strip();
    if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new IllegalArgumentException(
          "bad header '" + text + "': expected 'Name: value' with a name without spaces");
    }
    return new Header(name, text.substring(colon + 1).strip());
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }

  /** Converts an option value with {@link #parse}. */
  static final class Converter implements ITypeConverter<Header> {
    @Override
    public Header convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
