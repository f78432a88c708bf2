package dev.httpcache.jackson;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.httpcache.codec.CodecException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One document syntax: its Jackson factory (configured with {@link Limits}), how its generator is
 * set up, and which body forms it writes and reads. Factories are immutable and thread-safe.
 */
// Jackson's factories are immutable and thread-safe once built, though not annotated as such.
@SuppressWarnings("ImmutableEnumChecker")
enum Format {
  JSON("json-v1", true) {
    private final JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(Limits.readConstraints(Limits.MAX_DEPTH))
            .errorReportConfiguration(Limits.errorReports())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Names from hostile documents stay out of the JVM's string pool. Canonicalizing
            // stays on: without it Jackson reads bytes through a Reader that silently replaces
            // malformed UTF-8, and its symbol table is bounded and refuses hash floods.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    @Override
    JsonParser parser(byte[] data) throws IOException {
      return factory.createParser(data);
    }

    @Override
    JsonGenerator generator(OutputStream out) throws IOException {
      JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8);
      // "name": value, "\n" line ends on every platform, {} and [] for empty containers.
      Separators separators =
          Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
              .withObjectEmptySeparator("")
              .withArrayEmptySeparator("");
      g.setPrettyPrinter(
          new DefaultPrettyPrinter(separators).withObjectIndenter(new DefaultIndenter("  ", "\n")));
      return g;
    }

    @Override
    byte[] trailer() {
      return NEWLINE;
    }
  },

  YAML("yaml-v1", true) {
    private final YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(Limits.yamlLoaderOptions())
            .streamReadConstraints(Limits.readConstraints(Limits.MAX_DEPTH))
            .errorReportConfiguration(Limits.errorReports())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            // Only true and false are booleans: "yes", "on" and "n" stay strings.
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // Lines are never folded; writeText chooses literal blocks where they are exact.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .disable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    @Override
    JsonParser parser(byte[] data) throws IOException {
      int line = 0;
      for (byte b : data) {
        if (b == '\n' || b == '\r') {
          line = 0;
        } else if (++line > Limits.MAX_YAML_LINE_BYTES) {
          throw new CodecException(
              codecName + ": a line is longer than " + Limits.MAX_YAML_LINE_BYTES + " bytes");
        }
      }
      return factory.createParser(data);
    }

    @Override
    JsonGenerator generator(OutputStream out) throws IOException {
      return factory.createGenerator(out, JsonEncoding.UTF8);
    }

    /**
     * Writes multi-line text as a literal block ({@code |}), which shows it as it is, unless it
     * holds a character YAML 1.1 also reads as a line break (CR, NEL, LS, PS), which a literal
     * block would turn into a newline; such text is written double-quoted, with escapes.
     */
    @Override
    void writeText(JsonGenerator g, String text) throws IOException {
      boolean block = text.indexOf('\n') >= 0;
      for (int i = 0; block && i < text.length(); i++) {
        char c = text.charAt(i);
        block = c != '\r' && c != '\u0085' && c != '\u2028' && c != '\u2029';
      }
      YAMLGenerator y = (YAMLGenerator) g;
      y.configure(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE, block);
      y.writeString(text);
      y.disable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE);
    }

    /** Writes base64 in lines of 76 characters, as a literal block, to keep lines short. */
    @Override
    void writeBase64(JsonGenerator g, String base64) throws IOException {
      StringBuilder lines = new StringBuilder(base64.length() + base64.length() / 76 + 1);
      for (int i = 0; i < base64.length(); i += Limits.BASE64_LINE_CHARS) {
        if (i > 0) {
          lines.append('\n');
        }
        lines.append(base64, i, Math.min(base64.length(), i + Limits.BASE64_LINE_CHARS));
      }
      writeText(g, lines.toString());
    }

    @Override
    void inspect(JsonParser p) throws IOException {
      YAMLParser y = (YAMLParser) p;
      // Aliases arrive as strings holding the anchor's name; refuse them and their anchors, and
      // tags, which would change what a scalar means.
      if (y.isCurrentAlias()) {
        throw new CodecException(codecName + ": YAML aliases are not allowed in an entry");
      }
      if (y.getObjectId() != null) {
        throw new CodecException(codecName + ": YAML anchors are not allowed in an entry");
      }
      if (y.getTypeId() != null) {
        throw new CodecException(codecName + ": YAML tags are not allowed in an entry");
      }
    }
  },

  CBOR("cbor-v1", false) {
    private final CBORFactory factory =
        CBORFactory.builder()
            .streamReadConstraints(Limits.readConstraints(Limits.MAX_DEPTH))
            .errorReportConfiguration(Limits.errorReports())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            // The self-describing tag 55799 (d9 d9 f7) lets file(1) and CBOR tools know the bytes.
            .enable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
            .build();

    @Override
    JsonParser parser(byte[] data) throws IOException {
      return factory.createParser(data);
    }

    @Override
    JsonGenerator generator(OutputStream out) throws IOException {
      return factory.createGenerator(out);
    }
  };

  private static final byte[] NEWLINE = {'\n'};
  private static final byte[] NOTHING = {};

  /** The codec name, such as {@code json-v1}; the first word of every error message. */
  final String codecName;

  /** Whether bodies may be stored as text or JSON; otherwise they are byte strings. */
  final boolean readableBodies;

  Format(String codecName, boolean readableBodies) {
    this.codecName = codecName;
    this.readableBodies = readableBodies;
  }

  /** Returns a parser over {@code data}. */
  abstract JsonParser parser(byte[] data) throws IOException;

  /** Returns a generator writing one document to {@code out}. */
  abstract JsonGenerator generator(OutputStream out) throws IOException;

  /** Checks the parser's current token for format-specific constructs an entry never holds. */
  void inspect(JsonParser p) throws IOException {}

  /** Writes a text body's value. */
  void writeText(JsonGenerator g, String text) throws IOException {
    g.writeString(text);
  }

  /** Writes a base64 body's value. */
  void writeBase64(JsonGenerator g, String base64) throws IOException {
    g.writeString(base64);
  }

  /** Returns the bytes written after the document, such as a final newline. */
  byte[] trailer() {
    return NOTHING;
  }
}
