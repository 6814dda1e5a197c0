package io.sluice.engine.net;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The original destination of a connection the firewall redirected to this host (nftables {@code
 * redirect}, iptables {@code REDIRECT}): {@code getsockopt(fd, SOL_IP, SO_ORIGINAL_DST)} for IPv4
 * (struct {@code sockaddr_in}) and {@code getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST)} for IPv6
 * ({@code sockaddr_in6}), both answered by conntrack from the NAT mapping (linux/netfilter_ipv4.h,
 * linux/netfilter_ipv6/ip6_tables.h: option 80).
 *
 * <p>The call goes through the JDK's foreign function API ({@code java.lang.foreign}, final since
 * Java 22) on the socket's file descriptor (see {@link #fd}), so it works with either transport.
 * The code base compiles for Java 21, where that API is a preview, so the few calls are made
 * through reflection: on a Java 22+ runtime it works without preview flags; on Java 21, with NIO
 * channels, or off Linux, {@link #of} answers empty and the transparent listener refuses the
 * connection. The JVM prints a restricted-method warning once unless started with {@code
 * --enable-native-access=ALL-UNNAMED}.
 */
public final class OriginalDestination {

  private static final Logger LOG = System.getLogger(OriginalDestination.class.getName());
  private static final int SOL_IP = 0;
  private static final int SOL_IPV6 = 41;
  private static final int SO_ORIGINAL_DST = 80;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;

  private static final Native NATIVE = Native.load();

  private OriginalDestination() {}

  /** Whether the original destination can be read here (Linux, Java 22+, native call bound). */
  public static boolean supported() {
    return NATIVE != null;
  }

  /**
   * The original destination of an accepted connection, or empty when it cannot be read (not an
   * epoll channel, no NAT mapping, unsupported runtime).
   */
  public static Optional<InetSocketAddress> of(Channel ch) {
    if (NATIVE == null) {
      return Optional.empty();
    }
    int fd = fd(ch);
    if (fd < 0) {
      return Optional.empty();
    }
    InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
    boolean v6 =
        remote != null
            && remote.getAddress() instanceof Inet6Address a
            && !isMapped(a.getAddress());
    byte[] raw = NATIVE.get(fd, v6 ? SOL_IPV6 : SOL_IP, SO_ORIGINAL_DST, v6 ? 28 : 16);
    return Optional.ofNullable(raw == null ? null : parse(raw));
  }

  /**
   * The socket's file descriptor: {@code EpollSocketChannel.fd()}, or for an NIO channel the JDK
   * channel's descriptor ({@code sun.nio.ch.SelChImpl.getFDVal()}, which needs {@code
   * --add-exports=java.base/sun.nio.ch=ALL-UNNAMED}, set in {@code jvm.options}); -1 otherwise.
   */
  public static int fd(Channel ch) {
    if (ch instanceof EpollSocketChannel epoll) {
      return epoll.fd().intValue();
    }
    if (ch instanceof io.netty.channel.socket.nio.NioSocketChannel) {
      try {
        Method javaChannel =
            io.netty.channel.nio.AbstractNioChannel.class.getDeclaredMethod("javaChannel");
        javaChannel.setAccessible(true);
        Object jdk = javaChannel.invoke(ch);
        Method getFdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        return (int) getFdVal.invoke(jdk);
      } catch (ReflectiveOperationException | RuntimeException e) {
        if (!nioWarned) {
          nioWarned = true;
          LOG.log(
              Level.WARNING,
              "SLUICE0921W: cannot read the socket descriptor of an NIO channel (start the JVM "
                  + "with --add-exports=java.base/sun.nio.ch=ALL-UNNAMED, or use the epoll "
                  + "transport): {0}",
              e.toString());
        }
        return -1;
      }
    }
    return -1;
  }

  private static volatile boolean nioWarned;

  /** Parses a {@code sockaddr_in} or {@code sockaddr_in6} (family in host order, little endian). */
  public static InetSocketAddress parse(byte[] sa) {
    if (sa.length < 8) {
      return null;
    }
    int family = (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
    int port = (sa[2] & 0xff) << 8 | (sa[3] & 0xff);
    try {
      if (family == AF_INET && sa.length >= 8) {
        return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(sa, 4, 8)), port);
      }
      if (family == AF_INET6 && sa.length >= 24) {
        return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(sa, 8, 24)), port);
      }
    } catch (UnknownHostException e) {
      return null;
    }
    return null;
  }

  private static boolean isMapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  /**
   * {@code int getsockopt(int, int, int, void *, socklen_t *)} bound through {@code
   * java.lang.foreign} by reflection (see the class comment).
   */
  private record Native(
      MethodHandle getsockopt,
      Method ofConfined,
      Method allocate,
      Method setInt,
      Method getInt,
      Method toArray,
      Object javaInt,
      Object javaByte) {

    static Native load() {
      if (Runtime.version().feature() < 22
          || !System.getProperty("os.name", "")
              .toLowerCase(java.util.Locale.ROOT)
              .contains("linux")) {
        return null;
      }
      try {
        Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> fdC = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
        Class<?> ofIntC = Class.forName("java.lang.foreign.ValueLayout$OfInt");
        Class<?> ofByteC = Class.forName("java.lang.foreign.ValueLayout$OfByte");
        Object linker = linkerC.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
        Optional<?> symbol =
            (Optional<?>) lookupC.getMethod("find", String.class).invoke(lookup, "getsockopt");
        if (symbol.isEmpty()) {
          return null;
        }
        Object javaInt = valueLayoutC.getField("JAVA_INT").get(null);
        Object address = valueLayoutC.getField("ADDRESS").get(null);
        Object javaByte = valueLayoutC.getField("JAVA_BYTE").get(null);
        Object args = java.lang.reflect.Array.newInstance(layoutC, 5);
        java.lang.reflect.Array.set(args, 0, javaInt);
        java.lang.reflect.Array.set(args, 1, javaInt);
        java.lang.reflect.Array.set(args, 2, javaInt);
        java.lang.reflect.Array.set(args, 3, address);
        java.lang.reflect.Array.set(args, 4, address);
        Object descriptor =
            fdC.getMethod("of", layoutC, args.getClass()).invoke(null, javaInt, args);
        Object noOptions = java.lang.reflect.Array.newInstance(optionC, 0);
        MethodHandle handle =
            (MethodHandle)
                linkerC
                    .getMethod("downcallHandle", segmentC, fdC, noOptions.getClass())
                    .invoke(linker, symbol.get(), descriptor, noOptions);
        return new Native(
            handle,
            arenaC.getMethod("ofConfined"),
            arenaC.getMethod("allocate", long.class),
            segmentC.getMethod("set", ofIntC, long.class, int.class),
            segmentC.getMethod("get", ofIntC, long.class),
            segmentC.getMethod("toArray", ofByteC),
            javaInt,
            javaByte);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.log(
            Level.WARNING,
            "SLUICE0920W: cannot bind getsockopt through java.lang.foreign; the transparent "
                + "listener refuses every connection: {0}",
            e.toString());
        return null;
      }
    }

    /** The option's bytes, or {@code null} when {@code getsockopt} failed. */
    byte[] get(int fd, int level, int option, int size) {
      try (AutoCloseable arena = (AutoCloseable) ofConfined.invoke(null)) {
        Object value = allocate.invoke(arena, (long) size);
        Object length = allocate.invoke(arena, 4L);
        setInt.invoke(length, javaInt, 0L, size);
        int rc = (int) getsockopt.invokeWithArguments(fd, level, option, value, length);
        if (rc != 0) {
          return null;
        }
        int got = (int) getInt.invoke(length, javaInt, 0L);
        byte[] all = (byte[]) toArray.invoke(value, javaByte);
        return Arrays.copyOf(all, Math.min(all.length, Math.max(0, got)));
      } catch (Throwable e) {
        LOG.log(Level.DEBUG, "getsockopt through java.lang.foreign failed: {0}", e.toString());
        return null;
      }
    }
  }
}
