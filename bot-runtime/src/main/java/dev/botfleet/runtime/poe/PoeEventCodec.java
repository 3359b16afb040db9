package dev.botfleet.runtime.poe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;

/**
 * Encodes Poe events as server-sent events, the one place where the wire format lives:
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
        } else if (event instanceof PoeEvent.Error) {
            return "error";
        }
        return "done";
    }

    String data(PoeEvent event) {
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
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
