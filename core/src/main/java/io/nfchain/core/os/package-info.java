/**
 * FFM bindings to the libc calls the datapath needs: shared memory ({@link
 * io.nfchain.core.os.MemFd}, {@link io.nfchain.core.os.MappedRegion}), wake-ups ({@link
 * io.nfchain.core.os.EventFd}, {@link io.nfchain.core.os.Epoll}, {@link
 * io.nfchain.core.os.PollSet}), the memif control channel ({@link
 * io.nfchain.core.os.UnixSeqpacketSocket}), raw frames ({@link io.nfchain.core.os.PacketSocket},
 * {@link io.nfchain.core.os.SocketOptions}) and thread placement ({@link
 * io.nfchain.core.os.CpuAffinity}, {@link io.nfchain.core.os.Prctl}). Linux x86_64 only.
 *
 * <p>Conventions, the same in every class:
 * <ul>
 *   <li>A failed call throws {@link io.nfchain.core.os.NativeCallException}, whose message
 *       reads {@code "<call>: <ERRNO>"}, such as {@code "connect: ECONNREFUSED (/run/x.sock)"}.
 *   <li>{@code EINTR} is retried where the call is restartable; a wait ({@code epoll_wait},
 *       {@code poll}) interrupted by a signal returns 0 ready; {@code close} and
 *       {@code connect} are never retried.
 *   <li>The calls a poll loop makes ({@code EventFd.read}, {@code Epoll.await},
 *       {@code PacketSocket.send/receive}, {@code UnixSeqpacketSocket.receive/accept}) report
 *       "nothing there" ({@code EAGAIN}) as a return value and allocate nothing: their
 *       buffers and errno slot are owned by the object, which is therefore not thread-safe.
 *   <li>Every descriptor is created close-on-exec; objects that own one close it once.
 *   <li>Kernel buffers must be native segments; a heap segment is rejected.
 * </ul>
 *
 * <p>The JVM must run with {@code --enable-native-access=ALL-UNNAMED} (or the module name).
 */
package io.nfchain.core.os;
