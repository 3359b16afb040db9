package dev.botfleet.runtime.llm;

import dev.botfleet.api.LLMProviderSpec;
import dev.botfleet.api.LLMProviderSpec.HttpVersion;
import dev.botfleet.api.ProviderTarget;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Which HTTP version reaches a provider, for each {@code httpVersion} and each kind of server: HTTP/2 is negotiated
 * over TLS where the server offers it, HTTP/1.1 stays where it does not, and h2c is spoken only when asked for.
 * Each fake provider answers with the HTTP version it saw as the streamed content.
 */
class UpstreamHttpVersionTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private static KeyStore keys;
    private static DisposableServer cleartextH2c;
    private static DisposableServer cleartextHttp1;
    private static DisposableServer tlsH2;
    private static DisposableServer tlsHttp1;
    private static DisposableServer tenStreamsPerConnection;
    private static DisposableServer sharedByAll;
    private static DisposableServer endless;
    private static final CountDownLatch endlessStreamsEnded = new CountDownLatch(1);
    private static DisposableServer silent;
    private static final Map<Integer, Set<Channel>> CONNECTIONS = new ConcurrentHashMap<>();
    private static UpstreamHttp http;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        keys = selfSignedFor127001(dir);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);

        cleartextH2c = server(HttpServer.create().protocol(HttpProtocol.HTTP11, HttpProtocol.H2C));
        tenStreamsPerConnection = server(HttpServer.create().protocol(HttpProtocol.H2C)
                .http2Settings(settings -> settings.maxConcurrentStreams(10)), Duration.ofMillis(500));
        endless = endlessServer(endlessStreamsEnded);
        silent = endlessServer(new CountDownLatch(1));
        sharedByAll = server(HttpServer.create().protocol(HttpProtocol.H2C));
        cleartextHttp1 = server(HttpServer.create().protocol(HttpProtocol.HTTP11));
        tlsH2 = server(HttpServer.create().protocol(HttpProtocol.HTTP11, HttpProtocol.H2)
                .secure(spec -> spec.sslContext(Http2SslContextSpec.forServer(keyManagers))));
        tlsHttp1 = server(HttpServer.create().protocol(HttpProtocol.HTTP11)
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(keyManagers))));
        http = new UpstreamHttp(100, Duration.ofSeconds(30), DataSize.ofMegabytes(1),
                builder -> builder.trustManager(trust));
    }

    @AfterAll
    static void stop() {
        http.close();
        List.of(cleartextH2c, cleartextHttp1, tlsH2, tlsHttp1, tenStreamsPerConnection, endless, silent, sharedByAll)
                .forEach(DisposableServer::disposeNow);
    }

    @Test
    void autoNegotiatesHttp2OverTlsWhereTheProviderOffersItAndHttp11WhereItDoesNot() {
        assertThat(versionSeen("https", tlsH2, HttpVersion.AUTO)).isEqualTo("HTTP/2.0");
        assertThat(versionSeen("https", tlsHttp1, HttpVersion.AUTO)).isEqualTo("HTTP/1.1");
        assertThat(versionSeen("http", cleartextH2c, HttpVersion.AUTO)).isEqualTo("HTTP/1.1");
        assertThat(versionSeen("http", cleartextHttp1, null)).as("the default is auto").isEqualTo("HTTP/1.1");
        assertThat(versionSeen("https", tlsH2, null)).as("the default is auto").isEqualTo("HTTP/2.0");
    }

    @Test
    void http1NeverSpeaksHttp2() {
        assertThat(versionSeen("https", tlsH2, HttpVersion.HTTP1)).isEqualTo("HTTP/1.1");
        assertThat(versionSeen("http", cleartextH2c, HttpVersion.HTTP1)).isEqualTo("HTTP/1.1");
    }

    @Test
    void http2SpeaksH2cWithPriorKnowledgeOverCleartextAndNegotiatesItOverTls() {
        assertThat(versionSeen("http", cleartextH2c, HttpVersion.HTTP2)).isEqualTo("HTTP/2.0");
        assertThat(versionSeen("https", tlsH2, HttpVersion.HTTP2)).isEqualTo("HTTP/2.0");
    }

    @Test
    void http2AgainstAServerWithoutItFailsRatherThanFallingBack() {
        for (DisposableServer server : List.of(tlsHttp1, cleartextHttp1)) {
            String scheme = server == tlsHttp1 ? "https" : "http";
            Throwable thrown = catchThrowable(() -> versionSeen(scheme, server, HttpVersion.HTTP2));
            UpstreamFailure failure = UpstreamFailure.of(thrown, new ProviderTarget("fake", "m"));
            assertThat(failure.reason()).as(scheme).isEqualTo("protocol");
            assertThat(failure.retryable()).as("a retry would fail the same way").isFalse();
            assertThat(failure.getMessage()).as(scheme).startsWith("fake/m: HTTP/2 with the provider failed (")
                    .endsWith("); a provider that does not speak HTTP/2 needs httpVersion auto or http1");
        }
    }

    @Test
    void answersStartedTogetherShareOneHttp2Connection() {
        assertThat(versionsSeenAtOnce(sharedByAll, 50)).hasSize(50).containsOnly("HTTP/2.0");
        assertThat(connections(sharedByAll)).isEqualTo(1);
    }

    @Test
    void answersBeyondAConnectionsStreamLimitOpenMoreConnections() {
        assertThat(versionsSeenAtOnce(tenStreamsPerConnection, 25)).hasSize(25).containsOnly("HTTP/2.0");
        // How many depends on how many answers wait while the next connection is being set up.
        assertThat(connections(tenStreamsPerConnection)).isBetween(3, 16);
    }

    @Test
    void aHangUpResetsItsHttp2StreamAndLeavesTheSharedConnectionOpen() throws InterruptedException {
        String first = stream("http", endless, HttpVersion.HTTP2).blockFirst(Duration.ofSeconds(10));

        assertThat(first).isEqualTo("HTTP/2.0");
        assertThat(endlessStreamsEnded.await(5, TimeUnit.SECONDS)).as("the provider saw the stream end").isTrue();
        assertThat(CONNECTIONS.get(endless.port())).singleElement().satisfies(connection ->
                assertThat(connection.isActive()).as("the connection stays open").isTrue());
    }

    @Test
    void aSilentHttp2StreamFailsAtTheProvidersTimeout() {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> stream("http", silent, HttpVersion.HTTP2, "1s").collectList()
                .block(Duration.ofSeconds(10)));

        assertThat(UpstreamFailure.of(thrown, new ProviderTarget("fake", "m")).reason()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }

    /** A provider that sends one chunk and then nothing; {@code ended} counts the streams it sees end. */
    private static DisposableServer endlessServer(CountDownLatch ended) {
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        DisposableServer bound = HttpServer.create().protocol(HttpProtocol.H2C).host("127.0.0.1").port(0)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> {
                    request.withConnection(connection -> {
                        connections.add(connection.channel().parent());
                        connection.onDispose(ended::countDown);
                    });
                    return request.receive().then().thenMany(response.header("Content-Type", "text/event-stream")
                            .sendString(Flux.just(chunk("HTTP/2.0")).concatWith(Flux.never())));
                }))
                .bindNow();
        CONNECTIONS.put(bound.port(), connections);
        return bound;
    }

    private static String chunk(String content) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"}}]}\n\n";
    }

    private static DisposableServer server(HttpServer server, Duration answerDelay) {
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        DisposableServer bound = server.host("127.0.0.1").port(0)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> {
                    String version = request.version().text();
                    request.withConnection(connection -> connections.add(connection.channel().parent() == null
                            ? connection.channel() : connection.channel().parent()));
                    return request.receive().then(Mono.delay(answerDelay)).thenMany(response
                            .header("Content-Type", "text/event-stream")
                            .sendString(Flux.just(chunk(version), "data: [DONE]\n\n")));
                }))
                .bindNow();
        CONNECTIONS.put(bound.port(), connections);
        return bound;
    }

    private static DisposableServer server(HttpServer server) {
        return server(server, Duration.ZERO);
    }

    /** How many connections the provider's answers arrived on. */
    private static int connections(DisposableServer server) {
        return CONNECTIONS.get(server.port()).size();
    }

    /** {@code answers} answers started at once over cleartext HTTP/2, each the HTTP version its provider saw. */
    private static List<String> versionsSeenAtOnce(DisposableServer server, int answers) {
        return Flux.range(0, answers)
                .flatMap(i -> stream("http", server, HttpVersion.HTTP2), answers)
                .collectList()
                .block(Duration.ofSeconds(20));
    }

    private static String versionSeen(String scheme, DisposableServer server, HttpVersion version) {
        return stream(scheme, server, version).collect(Collectors.joining()).block(Duration.ofSeconds(10));
    }

    private static Flux<String> stream(String scheme, DisposableServer server, HttpVersion version) {
        return stream(scheme, server, version, "5s");
    }

    private static Flux<String> stream(String scheme, DisposableServer server, HttpVersion version, String timeout) {
        LLMProviderSpec provider = new LLMProviderSpec();
        provider.setBaseUrl(scheme + "://127.0.0.1:" + server.port() + "/v1");
        provider.setDefaultModel("m");
        provider.setHttpVersion(version);
        provider.setTimeout(timeout);
        return new UpstreamStreamer(http)
                .stream("fake", provider, new UpstreamStreamer.Call("m", List.of(ChatMessage.user("hi")), null, null,
                        null, List.of(), List.of(), Optional.empty()))
                .flatMapIterable(StreamChunk::choices)
                .map(StreamChunk.Choice::content);
    }

    /** A PKCS#12 key store with one self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static KeyStore selfSignedFor127001(Path dir) throws Exception {
        Path file = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "provider", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
