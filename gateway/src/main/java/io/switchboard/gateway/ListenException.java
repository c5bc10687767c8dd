package io.switchboard.gateway;

/** A server of the gateway could not listen on its address, e.g. because its port is taken. */
public final class ListenException extends RuntimeException {

  /** Which server: the HTTP (WebSocket and admin) one or the TCP one. */
  public enum Server { HTTP, TCP }

  private final Server server;
  private final int port;

  ListenException(Server server, String host, int port, Throwable cause) {
    super("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
    this.server = server;
    this.port = port;
  }

  public Server server() {
    return server;
  }

  public int port() {
    return port;
  }
}
