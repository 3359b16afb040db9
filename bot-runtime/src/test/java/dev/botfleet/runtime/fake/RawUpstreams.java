package dev.botfleet.runtime.fake;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/** Upstreams that misbehave below HTTP: a connection reset mid-stream, and TLS with an untrusted certificate. */
public final class RawUpstreams {

    private RawUpstreams() {
    }

    /** Answers every request with the start of a stream, then resets the connection (RST, not a clean close). */
    public static final class ResettingServer implements AutoCloseable {

        private final ServerSocket socket;

        public ResettingServer() throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::serve, "resetting-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        public String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    readRequest(client.getInputStream());
                    OutputStream out = client.getOutputStream();
                    String chunk = "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"before reset\"},\"finish_reason\":null}]}\n\n";
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(100);
                    client.setSoLinger(true, 0);
                } catch (IOException | InterruptedException e) {
                    // the next connection is served all the same
                }
            }
        }

        private static void readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            String headers = head.toString().toLowerCase();
            int at = headers.indexOf("content-length:");
            if (at >= 0) {
                int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf("\r\n", at)).strip());
                in.readNBytes(length);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** An HTTPS server whose self-signed certificate no client trusts. */
    public static final class UntrustedTlsServer implements AutoCloseable {

        private final HttpsServer server;

        public UntrustedTlsServer(Path workDir) throws Exception {
            Path keystore = workDir.resolve("untrusted.p12");
            Files.deleteIfExists(keystore);
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "fake", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
            keytool.getInputStream().readAllBytes();
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            });
            server.start();
        }

        public String baseUrl() {
            return "https://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
