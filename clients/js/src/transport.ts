/**
 * The WebSocket the client uses: the browser's own, or the `ws` package under Node (which, like browsers, answers
 * the server's WebSocket pings by itself). Only the standard WebSocket interface is used.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The standard `readyState` of an open socket. */
export const OPEN = 1;

/** The constructor given, else the platform's WebSocket, else the `ws` package (Node). */
export async function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) {
    return given;
  }
  const platform = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof platform === 'function') {
    return platform as WebSocketConstructor;
  }
  const ws = await import('ws');
  return (ws.WebSocket ?? ws.default) as unknown as WebSocketConstructor;
}

/**
 * Drops a socket at once, without waiting for the closing handshake of a server that may be gone: `ws` can
 * terminate; a browser socket is closed and its handlers are detached so that nothing more comes from it.
 */
export function abandon(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // An error still comes from a socket dropped while connecting: it is of no interest, but must be handled.
  socket.onerror = () => undefined;
  const terminate = (socket as { terminate?: () => void }).terminate;
  try {
    if (typeof terminate === 'function') {
      terminate.call(socket);
    } else {
      socket.close(1000);
    }
  } catch {
    // already closing or closed
  }
}
