package dev.botfleet.api;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** Where the api module's tests find the committed CRDs, the generated ones and the examples. */
final class TestPaths {

    private TestPaths() {
    }

    static Path crdsDir() {
        return Path.of(System.getProperty("botfleet.crds.dir", "../crds"));
    }

    static Path examplesDir() {
        return Path.of(System.getProperty("botfleet.examples.dir", "../examples"));
    }

    static Path generatedCrdsDir() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(TestPaths.class.getResource("/META-INF/fabric8"),
                "generated CRDs are missing from the classpath").toURI());
    }
}
