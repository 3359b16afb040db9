package dev.botfleet.handler.poe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Poe events as server-sent events and back, the one place where the wire format lives:
 * {@code event: <name>\r\ndata: <one-line JSON object>\r\n\r\n}, as the reference server frames them.
 * JSON never contains a raw line break, so every payload fits on one {@code data:} line.
 */
public final class PoeEventCodec {

    /** A comment line; SSE parsers skip it, proxies see traffic. */
    public static final String KEEP_ALIVE = ": ping\r\n\r\n";

    private final ObjectMapper json;

    public PoeEventCodec(ObjectMapper json) {
        this.json = json;
    }

    public String encode(PoeEvent event) {
        return "event: " + name(event) + "\r\ndata: " + data(event) + "\r\n\r\n";
    }

    public static String name(PoeEvent event) {
        if (event instanceof PoeEvent.Meta) {
            return "meta";
        } else if (event instanceof PoeEvent.Text) {
            return "text";
        } else if (event instanceof PoeEvent.ReplaceResponse) {
            return "replace_response";
        } else if (event instanceof PoeEvent.SuggestedReply) {
            return "suggested_reply";
        } else if (event instanceof PoeEvent.File) {
            return "file";
        } else if (event instanceof PoeEvent.Data) {
            return "data";
        } else if (event instanceof PoeEvent.Json) {
            return "json";
        } else if (event instanceof PoeEvent.Error) {
            return "error";
        }
        return "done";
    }

    /**
     * The event one server-sent event carries, read as Poe's client reads it; empty for a name that carries no
     * event here ({@code ping}, or one from a newer protocol).
     *
     * @throws IllegalArgumentException when the data is not a JSON object
     */
    public Optional<PoeEvent> decode(String name, String data) {
        JsonNode fields;
        try {
            fields = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON in '" + name + "' event: " + data);
        }
        if (fields == null || !fields.isObject()) {
            throw new IllegalArgumentException("'" + name + "' event data is not a JSON object: " + data);
        }
        return Optional.ofNullable(switch (name) {
            case "meta" -> new PoeEvent.Meta(fields.path("content_type").asText(PoeEvent.Meta.DEFAULTS.contentType()),
                    fields.path("suggested_replies").asBoolean(PoeEvent.Meta.DEFAULTS.suggestedReplies()));
            case "text" -> new PoeEvent.Text(fields.path("text").asText());
            case "replace_response" -> new PoeEvent.ReplaceResponse(fields.path("text").asText());
            case "suggested_reply" -> new PoeEvent.SuggestedReply(fields.path("text").asText());
            case "file" -> new PoeEvent.File(textOrNull(fields, "url"), textOrNull(fields, "content_type"),
                    textOrNull(fields, "name"), textOrNull(fields, "inline_ref"));
            case "data" -> new PoeEvent.Data(textOrNull(fields, "metadata"));
            case "json" -> new PoeEvent.Json(fields);
            case "error" -> new PoeEvent.Error(fields.path("allow_retry").asBoolean(true), textOrNull(fields, "text"),
                    textOrNull(fields, "error_type"));
            case "done" -> new PoeEvent.Done();
            default -> null;
        });
    }

    private static String textOrNull(JsonNode fields, String key) {
        JsonNode value = fields.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    String data(PoeEvent event) {
        if (event instanceof PoeEvent.Json object) {
            return write(object.data());
        }
        ObjectNode data = json.createObjectNode();
        if (event instanceof PoeEvent.Meta m) {
            data.put("content_type", m.contentType())
                    .put("refetch_settings", false)
                    .put("linkify", true)
                    .put("suggested_replies", m.suggestedReplies());
        } else if (event instanceof PoeEvent.Text t) {
            data.put("text", t.text());
        } else if (event instanceof PoeEvent.ReplaceResponse r) {
            data.put("text", r.text());
        } else if (event instanceof PoeEvent.SuggestedReply s) {
            data.put("text", s.text());
        } else if (event instanceof PoeEvent.File f) {
            data.put("url", f.url())
                    .put("content_type", f.contentType())
                    .put("name", f.name())
                    .put("inline_ref", f.inlineRef());
        } else if (event instanceof PoeEvent.Data d) {
            data.put("metadata", d.metadata());
        } else if (event instanceof PoeEvent.Error e) {
            data.put("allow_retry", e.allowRetry());
            if (e.text() != null) {
                data.put("text", e.text());
            }
            if (e.errorType() != null) {
                data.put("error_type", e.errorType());
            }
        }
        return write(data);
    }

    private String write(JsonNode data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
