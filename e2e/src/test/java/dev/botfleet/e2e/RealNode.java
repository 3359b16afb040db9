package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The control plane's real Node ({@code e2e/cluster}: a kubelet on containerd, tainted {@code botfleet.dev/real-node}):
 * its image store, its pods' logs, and copies of Deployments made to run there.
 */
final class RealNode {

    static final String LABEL = "botfleet.dev/real-node";
    private static final Pattern IMPORTED = Pattern.compile("unpacking (\\S+) \\(sha256:");

    private final Path node = ControlPlane.WORK.resolve("cluster/node");

    /** Imports an image archive into containerd's store, where pods with {@code imagePullPolicy: Never} find it. */
    String load(Path archive) {
        String out = Command.of(List.of("ctr", "--address", node.resolve("containerd.sock").toString(), "-n", "k8s.io",
                "images", "import", archive.toString())).withTimeout(java.time.Duration.ofMinutes(3)).run().orFail()
                .out();
        Matcher name = IMPORTED.matcher(out);
        if (!name.find()) {
            throw new AssertionError("ctr imported no image from " + archive + ":\n" + out);
        }
        return name.group(1);
    }

    /** The host's process id of a container ({@code containerd://<id>}, as a pod's status names it). */
    long pid(String containerId) {
        String id = containerId.substring(containerId.indexOf("://") + 3);
        String tasks = Command.of(List.of("ctr", "--address", node.resolve("containerd.sock").toString(), "-n",
                "k8s.io", "tasks", "ls")).run().orFail().out();
        return tasks.lines().map(line -> line.split("\\s+")).filter(columns -> columns[0].equals(id))
                .mapToLong(columns -> Long.parseLong(columns[1])).findFirst()
                .orElseThrow(() -> new AssertionError("containerd runs no task " + id + ":\n" + tasks));
    }

    /** {@code /proc/<pid>/status} of a container's first process, as the kernel sees it. */
    String processStatus(String containerId) throws IOException {
        return Files.readString(Path.of("/proc", String.valueOf(pid(containerId)), "status"));
    }

    /** The memory limit, in bytes, of the cgroup the kubelet put a container in. */
    long memoryLimit(String containerId) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid(containerId)), "cgroup"))) {
            String[] fields = line.split(":", 3);
            if (fields[1].equals("memory")) {
                return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory", fields[2],
                        "memory.limit_in_bytes")).strip());
            }
            if (fields[1].isEmpty() && Files.exists(Path.of("/sys/fs/cgroup", fields[2], "memory.max"))) {
                return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup", fields[2], "memory.max")).strip());
            }
        }
        throw new AssertionError("no memory cgroup for container " + containerId);
    }

    /** Where the kubelet projects a pod's ConfigMap volume. */
    Path configMapVolume(String podUid, String volume) {
        return node.resolve("kubelet/pods").resolve(podUid).resolve("volumes/kubernetes.io~configmap").resolve(volume);
    }

    /** What the kubelet logged of the container of a pod whose name starts with {@code podPrefix}. */
    String log(String namespace, String podPrefix) {
        try (Stream<Path> files = Files.walk(node.resolve("pod-logs"))) {
            List<Path> logs = files.filter(file -> file.getFileName().toString().endsWith(".log"))
                    .filter(file -> node.resolve("pod-logs").relativize(file).getName(0).toString()
                            .startsWith(namespace + "_" + podPrefix)).sorted().toList();
            StringBuilder text = new StringBuilder();
            for (Path log : logs) {
                text.append(Files.readString(log));
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of {@code original} that runs only on the real Node, so far as a machine without a pod network
     * needs: the same pod spec with host networking and the named ports moved to free ones, the image from the
     * node's store, the taint tolerated; under another name and selector, and without the original's labels and
     * owners, so that whoever manages the original (the operator, Helm) does not see it.
     *
     * @param image       the image built, with its own tag
     * @param environment variables added to the container's own
     */
    static Deployment copyOf(Deployment original, String image, Map<String, Integer> ports,
                             Map<String, String> environment) {
        Deployment copy = Serialization.clone(original);
        String name = original.getMetadata().getName() + "-real";
        copy.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(original.getMetadata().getNamespace())
                .build());
        copy.setStatus(null);
        copy.getSpec().setReplicas(1);
        // One node and fixed host ports: the old pod must be gone before the new one can bind them.
        copy.getSpec().getStrategy().setType("Recreate");
        copy.getSpec().getStrategy().setRollingUpdate(null);
        copy.getSpec().getSelector().setMatchLabels(Map.of(LABEL + "-copy", name));
        copy.getSpec().getTemplate().getMetadata().getLabels().put(LABEL + "-copy", name);
        PodSpec pod = copy.getSpec().getTemplate().getSpec();
        pod.setHostNetwork(true);
        pod.setDnsPolicy("Default");
        pod.setNodeSelector(Map.of(LABEL, "true"));
        pod.setTopologySpreadConstraints(null);
        List<Toleration> tolerations = new ArrayList<>(Optional.ofNullable(pod.getTolerations()).orElse(List.of()));
        tolerations.add(new Toleration("NoSchedule", LABEL, "Exists", null, null));
        pod.setTolerations(tolerations);
        Container container = pod.getContainers().get(0);
        container.setImage(image);
        container.setImagePullPolicy("Never");
        PortMoves.apply(container, ports);
        List<EnvVar> env = new ArrayList<>(Optional.ofNullable(container.getEnv()).orElse(List.of()));
        environment.forEach((variable, value) -> env.add(new EnvVar(variable, value, null)));
        container.setEnv(env);
        return copy;
    }
}
