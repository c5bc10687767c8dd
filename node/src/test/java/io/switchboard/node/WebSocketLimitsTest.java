package io.switchboard.node;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the WebSocket layer refuses before a frame reaches the protocol: compression (a small deflated frame
 * could inflate to any size before a limit applies) and single frames far over the frame limit.
 */
class WebSocketLimitsTest extends NodeTestBase {

  private static final int LIMIT = 65_536;
  /** 100 MB of one byte deflates to about 100 KB: under the frame limit on the wire, 1,500 times it inflated. */
  private static final int BOMB_BYTES = 100 << 20;

  @Test
  void aClientOfferingCompressionGetsNoneAndAFrameFarOverTheLimitCloses1009() {
    TestClient client = track(TestClient.webSocket(vertx, node.node.httpPort(),
        new WebSocketClientOptions().setTryUsePerMessageCompression(true).setTryUsePerFrameCompression(true)));
    assertNull(client.handshake().get("Sec-WebSocket-Extensions"), "no compression was negotiated");
    client.auth(node.token("abc"));
    // Over 4 x the limit in one frame: the WebSocket layer itself refuses it, as message too big.
    client.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4 * LIMIT) + "\"}");
    assertEquals(1009, client.expectClosed());
  }

  @Test
  void aDeflatedFrameIsRefusedAtOnceWithoutInflatingIt() throws IOException {
    byte[] bomb = deflate(BOMB_BYTES);
    assertTrue(bomb.length < 4 * LIMIT, "the bomb passes the frame limit on the wire: " + bomb.length);
    try (Socket socket = new Socket("127.0.0.1", node.node.httpPort())) {
      socket.setSoTimeout((int) TestClient.WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(("GET /ws HTTP/1.1\r\nHost: node\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String handshake = readHeaders(in);
      assertTrue(handshake.startsWith("HTTP/1.1 101"), handshake);
      assertFalse(handshake.toLowerCase().contains("sec-websocket-extensions"), handshake);

      long start = System.nanoTime();
      // A final text frame with RSV1 (compressed), masked as a client's must be.
      out.write(frameHeader(0x80 | 0x40 | 0x1, bomb.length));
      out.write(bomb);
      out.flush();
      int closeCode = readUntilClose(in);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closeCode == 1002 || closeCode == 1009, "closed with " + closeCode);
      assertTrue(millis < TestClient.WAIT.toMillis(), "closed after " + millis + " ms");
    }
    assertEquals("pong", connect("bob").request(frame("ping")).getString("type"), "the node is unharmed");
  }

  /** {@code size} zero bytes, deflated raw (permessage-deflate drops the final 00 00 ff ff). */
  private static byte[] deflate(int size) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 << 10];
    for (int fed = 0; fed < size; fed += zeros.length) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
      }
    }
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
    }
    deflater.end();
    byte[] deflated = out.toByteArray();
    return Arrays.copyOf(deflated, deflated.length - 4);
  }

  /** A masked frame header with a zero mask (the payload is sent as it is). */
  private static byte[] frameHeader(int firstByte, int length) {
    Buffer header = Buffer.buffer().appendByte((byte) firstByte);
    if (length < 126) {
      header.appendByte((byte) (0x80 | length));
    } else if (length < 65_536) {
      header.appendByte((byte) (0x80 | 126)).appendUnsignedShort(length);
    } else {
      header.appendByte((byte) (0x80 | 127)).appendLong(length);
    }
    return header.appendInt(0).getBytes();
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    while (!headers.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      headers.write(b);
    }
    return headers.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads server frames until a close frame, and returns its code (0 when the connection just ends). */
  private static int readUntilClose(DataInputStream in) throws IOException {
    while (true) {
      int first = in.read();
      if (first < 0) {
        return 0;
      }
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      if ((first & 0x0f) == 0x8) {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
      }
    }
  }
}
