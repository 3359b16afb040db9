package dev.botfleet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/** Parses a server-sent event stream the way a strict Poe caller does: comments skipped, data parsed as JSON. */
public final class SseEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SseEvents() {
    }

    /** One event: its name and its data parsed as JSON. */
    public record Event(String name, JsonNode data) {

        public String text() {
            return data.path("text").asText();
        }

        @Override
        public String toString() {
            return name + " " + data;
        }
    }

    public static List<Event> parse(String wire) {
        List<Event> events = new ArrayList<>();
        String name = "message";
        StringBuilder data = null;
        for (String line : wire.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(name, json(data.toString())));
                }
                name = "message";
                data = null;
            } else if (line.startsWith(":")) {
                continue;
            } else if (line.startsWith("event:")) {
                name = value(line, "event:");
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(value(line, "data:"));
            }
        }
        return events;
    }

    public static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    /** The answer a Poe user would see: text appended, replace_response starting over. */
    public static String answer(List<Event> events) {
        StringBuilder answer = new StringBuilder();
        for (Event event : events) {
            if (event.name().equals("replace_response")) {
                answer.setLength(0);
            }
            if (event.name().equals("text") || event.name().equals("replace_response")) {
                answer.append(event.text());
            }
        }
        return answer.toString();
    }

    private static String value(String line, String field) {
        String value = line.substring(field.length());
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private static JsonNode json(String data) {
        try {
            return JSON.readTree(data);
        } catch (Exception e) {
            throw new AssertionError("event data is not JSON: " + data, e);
        }
    }
}
