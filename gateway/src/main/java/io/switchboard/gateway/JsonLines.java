package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes a frame as one line of UTF-8 JSON for the TCP transport, straight into the buffer the socket sends:
 * Jackson fills its own recycled buffer and hands it over once, into a line of the right size. Encoding through
 * {@link JsonObject#toBuffer()} and appending the newline copied each frame three times.
 */
final class JsonLines {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte NEWLINE = '\n';

  private JsonLines() {
  }

  static Buffer encode(JsonObject frame) {
    LineStream line = new LineStream();
    try (JsonGenerator generator = JSON.createGenerator(line)) {
      JacksonCodec.encodeJson(frame, generator);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage());
    }
    return line.buffer.appendByte(NEWLINE);
  }

  /** Collects what Jackson flushes; the first flush, usually the only one, sizes the line. */
  private static final class LineStream extends OutputStream {

    private Buffer buffer = Buffer.buffer(0);

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (buffer.length() == 0) {
        buffer = Buffer.buffer(length + 1);
      }
      buffer.appendBytes(bytes, offset, length);
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }
  }
}
