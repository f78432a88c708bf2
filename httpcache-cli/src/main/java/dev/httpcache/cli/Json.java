package dev.httpcache.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.Writer;

/** The JSON that commands write and read, through Jackson's streaming API. */
final class Json {
  /** Leaves the streams open (commands own them) and bounds what a reader accepts. */
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(64 * 1024 * 1024) // a base64 entry of the largest body
                  .maxNestingDepth(16)
                  .build())
          .build();

  private Json() {}

  static JsonGenerator generator(Writer out) throws IOException {
    return FACTORY.createGenerator(out);
  }
}
