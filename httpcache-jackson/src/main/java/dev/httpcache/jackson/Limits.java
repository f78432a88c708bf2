package dev.httpcache.jackson;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The bounds every decoder applies, and the Jackson and SnakeYAML settings that enforce them while
 * parsing. The encoder checks its own output against the same bounds, so what it writes it reads.
 */
final class Limits {
  /** The largest document accepted, checked before parsing starts. */
  static final int MAX_ENTRY_BYTES = 64 << 20;

  /** The largest body, response or request, after decoding. */
  static final int MAX_BODY_BYTES = 32 << 20;

  /** The longest string token: a base64 string of the largest body, with YAML's line breaks. */
  static final int MAX_TOKEN_CHARS = 48 << 20;

  /**
   * The longest line of a YAML document. SnakeYAML's scanner takes time quadratic in the length of
   * a line (a 4 MiB line costs seconds), so longer lines are refused before parsing; with this
   * bound a document of the largest size takes seconds, not hours.
   */
  static final int MAX_YAML_LINE_BYTES = 64 << 10;

  /** The length of the lines base64 bodies are cut into in YAML, as in MIME (RFC 2045). */
  static final int BASE64_LINE_CHARS = 76;

  /** The longest string outside a body: reason, URI, method, header value. */
  static final int MAX_STRING_CHARS = 1 << 20;

  /** The longest field name: a header name, or a key inside a JSON body. */
  static final int MAX_NAME_CHARS = 1 << 16;

  /** The most header values in one header block. */
  static final int MAX_HEADER_VALUES = 10_000;

  /** The deepest nesting of the document, JSON bodies included (a document alone needs 3). */
  static final int MAX_DEPTH = 64;

  /** The longest number, in characters. */
  static final int MAX_NUMBER_CHARS = 100;

  private Limits() {}

  static StreamReadConstraints readConstraints(int maxDepth) {
    return StreamReadConstraints.builder()
        .maxDocumentLength(MAX_ENTRY_BYTES)
        .maxNestingDepth(maxDepth)
        .maxStringLength(MAX_TOKEN_CHARS)
        .maxNameLength(MAX_NAME_CHARS)
        .maxNumberLength(MAX_NUMBER_CHARS)
        .build();
  }

  /** Keeps Jackson's error messages from quoting more than a few characters of the input. */
  static ErrorReportConfiguration errorReports() {
    return ErrorReportConfiguration.builder()
        .maxErrorTokenLength(16)
        .maxRawContentLength(0)
        .build();
  }

  /**
   * SnakeYAML's own limits. Jackson reads YAML as a stream of events, so aliases are never expanded
   * (they are refused as tokens instead); the alias and nesting settings also bound anything that
   * composes a node graph.
   */
  static LoaderOptions yamlLoaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_ENTRY_BYTES);
    options.setMaxAliasesForCollections(0);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setAllowRecursiveKeys(false);
    options.setAllowDuplicateKeys(false);
    return options;
  }
}
