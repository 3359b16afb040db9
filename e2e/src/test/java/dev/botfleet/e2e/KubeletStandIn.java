package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Test code standing in for the kubelet's volume projection: it reads a runtime group's Deployment from the API
 * server and writes the ConfigMap and Secret volumes its container mounts under a local directory, in the layout
 * the kubelet's atomic writer uses ({@code ..<timestamp>/} directories, a {@code ..data} symlink swapped with a
 * rename, and each key a symlink through {@code ..data}), so that the runtime reads exactly what a pod would.
 */
final class KubeletStandIn {

    private final KubernetesClient client;
    private final String namespace;
    private final String deployment;
    private final Path root;
    private final Map<Path, String> written = new LinkedHashMap<>();

    KubeletStandIn(KubernetesClient client, String namespace, String deployment, Path root) {
        this.client = client;
        this.namespace = namespace;
        this.deployment = deployment;
        this.root = root;
    }

    /**
     * The runtime container's arguments but {@code --manifests} and the Poe port (the test picks a free one), the
     * management port moved to {@code managementPort}, its mount paths moved under the local directory.
     */
    List<String> arguments(int managementPort) {
        return container().getArgs().stream()
                .filter(argument -> !argument.startsWith("--server.port=") && !argument.startsWith("--manifests="))
                .map(argument -> argument.startsWith("--management.server.port=")
                        ? "--management.server.port=" + managementPort : argument.replace("=/", "=" + root + "/"))
                .toList();
    }

    /** The container's memory limit as the JVM reads it from the container's cgroup: {@code -XX:MaxRAM}. */
    String memoryLimitOption() {
        Quantity memory = container().getResources().getLimits().get("memory");
        return "-XX:MaxRAM=" + memory.getNumericalAmount().longValueExact();
    }

    /** The container's environment variables given as values ({@code JAVA_TOOL_OPTIONS} among them). */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        container().getEnv().stream().filter(variable -> variable.getValue() != null)
                .forEach(variable -> environment.put(variable.getName(), variable.getValue()));
        return environment;
    }

    /** The local directory the volumes are projected under, each at its mount path. */
    Path root() {
        return root;
    }

    /** Where the container's {@code --manifests} argument points, under the local directory. */
    Path manifests() {
        return container().getArgs().stream().filter(argument -> argument.startsWith("--manifests="))
                .map(argument -> root.resolve(argument.substring("--manifests=/".length()))).findFirst()
                .orElseThrow();
    }

    /**
     * Brings every ConfigMap and Secret volume of the container up to date with the API server; returns whether
     * any file changed.
     */
    synchronized boolean sync() {
        PodSpec pod = client.apps().deployments().inNamespace(namespace).withName(deployment).require()
                .getSpec().getTemplate().getSpec();
        boolean changed = false;
        for (VolumeMount mount : container(pod).getVolumeMounts()) {
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow();
            Map<String, String> files = null;
            if (volume.getConfigMap() != null) {
                ConfigMap config = client.configMaps().inNamespace(namespace)
                        .withName(volume.getConfigMap().getName()).get();
                files = config == null ? Map.of() : config.getData();
            } else if (volume.getSecret() != null) {
                files = secretFiles(volume);
            }
            if (files != null) {
                changed |= project(root.resolve(mount.getMountPath().substring(1)), files);
            }
        }
        return changed;
    }

    private Map<String, String> secretFiles(Volume volume) {
        Secret secret = client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
        Map<String, String> files = new LinkedHashMap<>();
        if (secret == null || secret.getData() == null) {
            return files;
        }
        for (KeyToPath item : volume.getSecret().getItems()) {
            String value = secret.getData().get(item.getKey());
            if (value != null) {
                files.put(item.getPath(), new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private boolean project(Path dir, Map<String, String> files) {
        String content = files.toString();
        if (Objects.equals(written.get(dir), content)) {
            return false;
        }
        try {
            Files.createDirectories(dir);
            String timestamped = "..%d".formatted(System.nanoTime());
            Path payload = Files.createDirectory(dir.resolve(timestamped));
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(payload.resolve(file.getKey()), file.getValue());
            }
            Path previous = Files.isSymbolicLink(dir.resolve("..data"))
                    ? dir.resolve(Files.readSymbolicLink(dir.resolve("..data"))) : null;
            Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of(timestamped));
            Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            for (String key : files.keySet()) {
                if (!Files.isSymbolicLink(dir.resolve(key))) {
                    Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
                }
            }
            if (previous != null) {
                try (Stream<Path> old = Files.walk(previous)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            written.put(dir, content);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Container container() {
        Deployment stored = client.apps().deployments().inNamespace(namespace).withName(deployment).require();
        return container(stored.getSpec().getTemplate().getSpec());
    }

    private static Container container(PodSpec pod) {
        return pod.getContainers().get(0);
    }
}
