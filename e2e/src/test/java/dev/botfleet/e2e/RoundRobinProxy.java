package dev.botfleet.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A TCP proxy on loopback that hands each new connection to the next backend in turn, as a Kubernetes Service does
 * with its endpoints: what a caller that retries on a new connection reaches.
 */
final class RoundRobinProxy implements AutoCloseable {

    private final List<Integer> backends;
    private final ServerSocket server;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray connections;
    private final ExecutorService pipes = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "round-robin-proxy");
        thread.setDaemon(true);
        return thread;
    });

    RoundRobinProxy(List<Integer> backendPorts) throws IOException {
        this.backends = List.copyOf(backendPorts);
        this.connections = new AtomicIntegerArray(backends.size());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pipes.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many connections the backend at {@code index} was given. */
    int connectionsTo(int index) {
        return connections.get(index);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int index = Math.floorMod(next.getAndIncrement(), backends.size());
                connections.incrementAndGet(index);
                Socket backend = new Socket(InetAddress.getLoopbackAddress(), backends.get(index));
                pipes.execute(() -> pipe(client, backend));
                pipes.execute(() -> pipe(backend, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies bytes one way until either side closes, then closes both. */
    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException closed) {
            // the other direction closed the sockets
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pipes.shutdownNow();
    }
}
