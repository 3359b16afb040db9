package dev.botfleet.runtime.llm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import dev.botfleet.runtime.poe.UserError;

import static org.assertj.core.api.Assertions.assertThat;
import dev.botfleet.runtime.poe.UserError;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The type of an inlined image: the declared one when it is an image type a model takes, else its magic bytes. */
class ImageInlinerTest {

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void aDeclaredImageTypeIsTakenAsItIs() {
        assertThat(ImageInliner.contentType(new byte[0], "image/webp")).isEqualTo("image/webp");
        assertThat(ImageInliner.contentType(new byte[0], "IMAGE/PNG; charset=binary")).isEqualTo("image/png");
    }

    @Test
    void otherwiseTheFirstBytesSay() {
        assertThat(ImageInliner.contentType(bytes(0xFF, 0xD8, 0xFF, 0xE0), "application/octet-stream"))
                .isEqualTo("image/jpeg");
        assertThat(ImageInliner.contentType(bytes(0x89, 'P', 'N', 'G'), null)).isEqualTo("image/png");
        assertThat(ImageInliner.contentType("GIF89a".getBytes(StandardCharsets.US_ASCII), "image/svg+xml"))
                .isEqualTo("image/gif");
        assertThat(ImageInliner.contentType("RIFF0000WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), null))
                .isEqualTo("image/webp");
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> ImageInliner.contentType("RIFF0000WAVE".getBytes(StandardCharsets.US_ASCII), null))
                .isInstanceOf(ImageInliner.Failure.class).hasMessageContaining("not a JPEG, PNG, GIF or WebP");
        assertThatThrownBy(() -> ImageInliner.contentType(bytes(0xFF, 0xD8), "text/html"))
                .isInstanceOf(ImageInliner.Failure.class);
        assertThatThrownBy(() -> ImageInliner.contentType(bytes(0xFF, 0xD8), "text/html"))
                .isInstanceOfSatisfying(ImageInliner.Failure.class, failure -> {
                    assertThat(failure.userError()).isEqualTo(UserError.NOT_AN_IMAGE);
                    assertThat(failure.toUser("en").errorType()).isEqualTo("user_caused_error");
                });
        assertThat(ImageInliner.Failure.tooLarge(2048).toUser("en").text()).contains("up to 2 KB");
    }
}
