package dev.botfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The api module's tables of manifests the API server must refuse (each naming its field) and accept. */
final class Corpus {

    static final String EXPECTED_FIELD = "test.botfleet.dev/expected-field";

    private static final Path DIR = ControlPlane.REPO.resolve("api/src/test/resources");
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
    private static final ObjectMapper YAML = new ObjectMapper(FACTORY);

    /** One manifest of a table. */
    record Manifest(String kind, String name, String expectedField, String yaml) {

        @Override
        public String toString() {
            return kind + "/" + name;
        }
    }

    private Corpus() {
    }

    static List<Manifest> bad() {
        return read("bad-manifests.yaml");
    }

    static List<Manifest> good() {
        return read("good-manifests.yaml");
    }

    private static List<Manifest> read(String file) {
        try (var parser = FACTORY.createParser(DIR.resolve(file).toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream()
                    .filter(document -> document != null && document.has("kind"))
                    .map(document -> new Manifest(document.path("kind").asText(),
                            document.at("/metadata/name").asText(),
                            document.at("/metadata/annotations").path(EXPECTED_FIELD).asText(null),
                            write(document)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(JsonNode document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
