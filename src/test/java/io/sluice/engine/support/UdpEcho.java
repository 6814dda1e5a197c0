package io.sluice.engine.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP echo server on 127.0.0.1 that counts what it received. */
public final class UdpEcho implements AutoCloseable {

  private final DatagramSocket socket;
  public final AtomicInteger received = new AtomicInteger();

  public UdpEcho() throws IOException {
    socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
    Thread.ofVirtual().start(this::loop);
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void loop() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        received.incrementAndGet();
        socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
