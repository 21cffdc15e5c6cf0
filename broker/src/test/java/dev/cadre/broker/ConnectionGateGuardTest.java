package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once a gate's guard returns, the listener hands it every socket, even when the listener's event loop was busy as
 * the gate came: the cause of ConnectionFloodTest holding six AMQP sockets of five now and then on a loaded machine.
 * A gate added from another thread waited, uncounting, for the busy loop, and the sockets the loop then accepted went
 * past it to Artemis, whose own bound lets one too many in when two sockets' first bytes are read on two event loops
 * at once. Here a real Netty listener on loopback is kept busy in the middle of handing on a batch of accepted sockets
 * while the gate is put in front of it; the gate holds none, so any socket its listener hands on past it after the
 * guard returned went uncounted.
 */
class ConnectionGateGuardTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final EventLoopGroup loop = new NioEventLoopGroup(1);
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aGateGuardingABusyListenerSeesEverySocketHandedOnAfterTheGuardReturns() throws Exception {
        BusyListener busy = new BusyListener();
        Channel listener = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class).handler(busy)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel socket) {
                        // accepted and held open; nothing is read
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) listener.localAddress()).getPort();

        // Three sockets wait for the listener's loop, held by a task, so that it accepts them in one batch; it then
        // hands on the first and stays busy with it.
        CountDownLatch loopHeld = new CountDownLatch(1);
        listener.eventLoop().execute(() -> await(loopHeld));
        for (int i = 0; i < 3; i++) {
            sockets.add(new Socket("127.0.0.1", port));
        }
        loopHeld.countDown();
        assertTrue(busy.handingOn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the listener took the first socket");

        ConnectionGate gate = new ConnectionGate("test", 0, "the test's", Duration.ofMinutes(1), null);
        busy.guarded = CompletableFuture.runAsync(() -> gate.guard(listener, "test"));
        try {
            // A guard that returns while the loop is busy has left the gate pending; one that waits for the loop
            // returns only after the batch is handed on.
            busy.guarded.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // waits for the loop
        }
        busy.release.countDown();
        assertTrue(busy.batchHandedOn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the batch was handed on");
        busy.guarded.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of(), busy.handedOnAfterTheGuard, "sockets handed on past the gate after its guard returned");

        Socket late = new Socket("127.0.0.1", port);
        sockets.add(late);
        assertTrue(closedByListener(late), "a socket past the allowance of none is refused");
        assertEquals(3, busy.handedOn.get(), "the refused socket was not handed on");
    }

    private static boolean closedByListener(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * On the listener's own channel, where the gate goes in front of it: counts the sockets handed on, notes those
     * handed on once the guard had returned, and stays busy with the first until released.
     */
    @ChannelHandler.Sharable
    private static final class BusyListener extends ChannelInboundHandlerAdapter {
        final CountDownLatch handingOn = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch batchHandedOn = new CountDownLatch(3);
        final List<Object> handedOnAfterTheGuard = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> guarded;
        final AtomicInteger handedOn = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            int n = handedOn.incrementAndGet();
            if (guarded != null && guarded.isDone()) {
                handedOnAfterTheGuard.add(msg);
            }
            if (n == 1) {
                handingOn.countDown();
                await(release);
            }
            batchHandedOn.countDown();
            ctx.fireChannelRead(msg);
        }
    }
}
