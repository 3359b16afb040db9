package dev.botfleet.operator;

import dev.botfleet.api.GroupConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers each resource's {@code bots.yaml} document by uid and resourceVersion. Every reconcile renders its whole
 * group, so without this a burst of N new bots in a group would serialise about N²/2 documents.
 */
final class RenderedDocuments {

    private static final int MAX_ENTRIES = 50_000;

    private record Entry(String resourceVersion, String document) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    synchronized String document(HasMetadata resource) {
        String uid = resource.getMetadata().getUid();
        String version = resource.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return GroupConfig.document(resource);
        }
        Entry entry = entries.get(uid);
        if (entry == null || !Objects.equals(entry.resourceVersion(), version)) {
            entry = new Entry(version, GroupConfig.document(resource));
            entries.put(uid, entry);
        }
        return entry.document();
    }
}
