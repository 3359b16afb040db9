package dev.botfleet.runtime;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Serves the Poe protocol for the bots in {@code --manifests}. */
@SpringBootApplication
@EnableConfigurationProperties(RuntimeProperties.class)
public class BotRuntimeApplication {

    public static void main(String[] args) {
        SpringApplication.run(BotRuntimeApplication.class, args);
    }
}
