package dev.httpcache.codec;

import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.util.List;

/** A base codec followed by stages: encoded in order, decoded in reverse. */
final class PipelineCodec implements Codec {
  private final Codec base;
  private final List<CodecStage> stages;
  private final String name;
  private final boolean authenticates;

  PipelineCodec(Codec base, List<CodecStage> stages) {
    this.base = base;
    this.stages = List.copyOf(stages);
    StringBuilder n = new StringBuilder(base.name());
    boolean auth = base.authenticates();
    for (CodecStage stage : this.stages) {
      n.append('+').append(stage.name());
      auth |= stage.authenticates();
    }
    this.name = n.toString();
    this.authenticates = auth;
  }

  @Override
  public String name() {
    return name;
  }

  /** Reads what its base reads, followed by the names of its stages, in order. */
  @Override
  public boolean reads(String codecName) {
    String[] parts = codecName.split("\\+", -1);
    if (parts.length != stages.size() + 1 || !base.reads(parts[0])) {
      return false;
    }
    for (int i = 0; i < stages.size(); i++) {
      if (!stages.get(i).name().equals(parts[i + 1])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean authenticates() {
    return authenticates;
  }

  @Override
  public byte[] encode(String key, CachedResponse response) throws IOException {
    byte[] data = base.encode(key, response);
    for (CodecStage stage : stages) {
      data = stage.encode(key, data);
    }
    return data;
  }

  @Override
  public CachedResponse decode(String key, byte[] data) throws IOException {
    byte[] bytes = data;
    for (int i = stages.size() - 1; i >= 0; i--) {
      bytes = stages.get(i).decode(key, bytes);
    }
    return base.decode(key, bytes);
  }

  @Override
  public String toString() {
    return "Codec[" + name + "]";
  }
}
