package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class JsonMapperTest extends RuntimeTestBase {

    @Autowired
    private ObjectMapper json;

    @Test
    void theApplicationMapperHasTheJavaModulesButNotKotlins() {
        assertThat(json.getRegisteredModuleIds().stream().map(Object::toString))
                .contains("jackson-datatype-jsr310", Jdk8Module.class.getName())
                .noneMatch(id -> id.toLowerCase(Locale.ROOT).contains("kotlin"));
    }
}
