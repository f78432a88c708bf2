package dev.httpcache.codec;

import java.io.IOException;

/**
 * Signals that stored bytes are not a valid entry: truncated, of another format or version, or
 * malformed. The cache treats such an entry as a miss, deletes it, and reports it.
 */
public class CodecException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names what is wrong (never a stored value). */
  public CodecException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
