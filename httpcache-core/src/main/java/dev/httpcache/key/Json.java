package dev.httpcache.key;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A small, strict JSON (RFC 8259) reader and a canonical writer, for normalizing request bodies.
 *
 * <p>Core depends on the JDK alone, so it cannot use a JSON library; this class does only what key
 * normalization needs: parse into plain maps, lists, strings, numbers (kept as their literal text),
 * booleans and {@link #NULL}, and write them back with object keys sorted at every depth and no
 * insignificant whitespace. Input is hostile: nesting is bounded and any syntax error ends in
 * {@code null}, never an exception. Stateless and thread-safe.
 */
public final class Json {
  /** The JSON {@code null} value. */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  static final int MAX_DEPTH = 256;

  /** A number, kept as the literal text the input had so that nothing is lost in conversion. */
  public record Number(String literal) {}

  private final String in;
  private int pos;

  private Json(String in) {
    this.in = in;
  }

  /** Parses {@code text}; returns {@code null} when it is not exactly one valid JSON value. */
  public static @Nullable Object parse(String text) {
    Json p = new Json(text);
    try {
      p.skipWhitespace();
      Object value = p.value(0);
      p.skipWhitespace();
      return p.pos == p.in.length() ? value : null;
    } catch (SyntaxError e) {
      return null;
    }
  }

  /** Writes {@code value} canonically: object keys sorted by code point, no whitespace. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(Object value, StringBuilder out) {
    if (value instanceof Map) {
      Map<String, Object> sorted = new TreeMap<>((Map<String, Object>) value);
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object item : (List<Object>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out);
      }
      out.append(']');
    } else if (value instanceof String) {
      writeString((String) value, out);
    } else if (value instanceof Number) {
      out.append(((Number) value).literal());
    } else {
      out.append(value); // Boolean or NULL
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError() {
      super(null, null, false, false);
    }
  }

  private Object value(int depth) throws SyntaxError {
    if (depth > MAX_DEPTH || pos >= in.length()) {
      throw new SyntaxError();
    }
    char c = in.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        return number();
    }
  }

  private Object literal(String word, Object value) throws SyntaxError {
    if (!in.startsWith(word, pos)) {
      throw new SyntaxError();
    }
    pos += word.length();
    return value;
  }

  private Map<String, Object> object(int depth) throws SyntaxError {
    pos++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw new SyntaxError();
      }
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      map.put(name, value(depth + 1));
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw new SyntaxError();
      }
    }
  }

  private List<Object> array(int depth) throws SyntaxError {
    pos++; // [
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new SyntaxError();
      }
    }
  }

  private String string() throws SyntaxError {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new SyntaxError();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          if (pos + 4 > in.length()) {
            throw new SyntaxError();
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(in.charAt(pos++), 16);
            if (d < 0) {
              throw new SyntaxError();
            }
            code = code * 16 + d;
          }
          out.append((char) code);
          break;
        default:
          throw new SyntaxError();
      }
    }
  }

  private Number number() throws SyntaxError {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw new SyntaxError();
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw new SyntaxError();
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw new SyntaxError();
      }
      digits();
    }
    return new Number(in.substring(start, pos));
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private char peek() {
    return pos < in.length() ? in.charAt(pos) : '\0';
  }

  private char next() throws SyntaxError {
    if (pos >= in.length()) {
      throw new SyntaxError();
    }
    return in.charAt(pos++);
  }

  private void expect(char c) throws SyntaxError {
    if (next() != c) {
      throw new SyntaxError();
    }
  }

  private void skipWhitespace() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
