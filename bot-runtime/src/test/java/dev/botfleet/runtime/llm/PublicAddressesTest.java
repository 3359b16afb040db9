package dev.botfleet.runtime.llm;

import com.sun.net.httpserver.HttpServer;
import dev.botfleet.api.ImageInput;
import dev.botfleet.runtime.poe.UserError;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicAddressesTest {

    @Test
    void onlyPublicAddressesPass() throws Exception {
        for (String address : List.of("127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "100.127.255.255", "0.0.0.0", "192.0.0.8", "fd00::1", "fe80::1", "224.0.0.1",
                "::ffff:10.0.0.1")) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1",
                "192.0.1.1", "2606:4700:4700::1111")) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
    }

    @Test
    void aHostWithAnyPrivateAddressIsRefusedByName() {
        assertThat(PublicAddresses.refusedLiteral("169.254.169.254")).isTrue();
        assertThat(PublicAddresses.refusedLiteral("[::1]")).isTrue();
        assertThat(PublicAddresses.refusedLiteral("8.8.8.8")).isFalse();
        assertThat(PublicAddresses.refusedLiteral("example.com")).as("names go to the resolver").isFalse();
        assertThatThrownBy(() -> PublicAddresses.publicAddresses("localhost"))
                .isInstanceOf(PublicAddresses.Refused.class)
                .hasMessageStartingWith("localhost resolves to ").hasMessageEndingWith("which is not a public address");
    }

    @Test
    void anImageOnLoopbackIsNotFetchedUnlessAllowed() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        server.createContext("/cat.png", exchange -> {
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cat.png?token=secret";
            ImageInput inline = new ImageInput();
            inline.setDelivery(ImageInput.Delivery.INLINE);
            List<ChatMessage> messages = List.of(ChatMessage.user("look").withImages(List.of(url)));

            assertThatThrownBy(() -> new ImageInliner(HttpClient.create(), false).inline(messages, inline).block())
                    .isInstanceOfSatisfying(ImageInliner.Failure.class, failure -> {
                        assertThat(failure.userError()).isEqualTo(UserError.IMAGE_UNAVAILABLE);
                        assertThat(failure.getMessage()).contains("127.0.0.1 is not a public address")
                                .doesNotContain("token=secret");
                    });
            String byName = "http://localhost:" + server.getAddress().getPort() + "/cat.png";
            assertThatThrownBy(() -> new ImageInliner(HttpClient.create(), false)
                    .inline(List.of(ChatMessage.user("look").withImages(List.of(byName))), inline).block())
                    .isInstanceOfSatisfying(ImageInliner.Failure.class, failure -> {
                        assertThat(failure.userError()).isEqualTo(UserError.IMAGE_UNAVAILABLE);
                        assertThat(failure.getMessage()).contains("localhost resolves to");
                    });
            List<ChatMessage> fetched = new ImageInliner(HttpClient.create(), true).inline(messages, inline).block();
            assertThat(fetched.get(0).images()).singleElement().asString().startsWith("data:image/png;base64,");
        } finally {
            server.stop(0);
        }
    }
}
