package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The first container of a Deployment's pod template run by podman with runc, as a kubelet would start it on a
 * node, translated from the stored Deployment and not written by hand: image (never pulled), arguments,
 * environment, the pod's and the container's security context, memory and CPU limits, emptyDir volumes as tmpfs,
 * ConfigMap and Secret volumes from the directory {@link KubeletStandIn} projects them into, read-only. What
 * differs, for a machine without a pod network: the pod shares the host's network, and each named container port
 * is moved to a free one, in the arguments that set it ({@code --server.port=8080} and the like).
 */
final class PodmanPod implements AutoCloseable {

    /** Container engines may not raise these limits above the test's own; podman's defaults would. */
    private static final List<String> LIMITS = List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");

    private final Path podman;
    private final String name;
    private final Map<String, Integer> ports;

    private PodmanPod(Path podman, String name, Map<String, Integer> ports) {
        this.podman = podman;
        this.name = name;
        this.ports = ports;
    }

    /**
     * @param projected where {@link KubeletStandIn} projected the pod's ConfigMap and Secret volumes
     * @param ports     for each named container port, the free port it moves to
     */
    static PodmanPod start(Path podman, Deployment deployment, Path projected, Map<String, Integer> ports) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        String name = "botfleet-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> run = new ArrayList<>(List.of(podman.toString(), "run", "--detach", "--name", name,
                "--runtime", "runc", "--pull=never", "--network", "host"));
        run.addAll(LIMITS);
        run.addAll(security(pod.getSecurityContext(), container.getSecurityContext()));
        run.addAll(resources(container));
        run.addAll(volumes(pod, container, projected));
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (variable.getValue() == null) {
                throw new IllegalArgumentException("variable " + variable.getName() + " has no value of its own");
            }
            run.addAll(List.of("--env", variable.getName() + "=" + variable.getValue()));
        }
        run.add(container.getImage());
        run.addAll(PortMoves.arguments(container, ports));
        Command.of(run).withTimeout(Duration.ofMinutes(1)).run().orFail();
        return new PodmanPod(podman, name, ports);
    }

    private static List<String> security(PodSecurityContext pod, SecurityContext container) {
        List<String> options = new ArrayList<>();
        if (pod != null && pod.getRunAsUser() != null) {
            options.addAll(List.of("--user", pod.getRunAsUser() + (pod.getRunAsGroup() == null ? ""
                    : ":" + pod.getRunAsGroup())));
        }
        if (pod != null && pod.getFsGroup() != null) {
            options.addAll(List.of("--group-add", String.valueOf(pod.getFsGroup())));
        }
        String seccomp = pod == null || pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType();
        if ("Unconfined".equals(seccomp)) {
            options.addAll(List.of("--security-opt", "seccomp=unconfined"));
        }
        if (container == null) {
            return options;
        }
        if (Boolean.TRUE.equals(container.getReadOnlyRootFilesystem())) {
            options.add("--read-only");
        }
        if (Boolean.FALSE.equals(container.getAllowPrivilegeEscalation())) {
            options.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        Capabilities capabilities = container.getCapabilities();
        if (capabilities != null) {
            Optional.ofNullable(capabilities.getDrop()).orElse(List.of())
                    .forEach(capability -> options.add("--cap-drop=" + capability.toLowerCase()));
            Optional.ofNullable(capabilities.getAdd()).orElse(List.of())
                    .forEach(capability -> options.add("--cap-add=" + capability.toLowerCase()));
        }
        return options;
    }

    private static List<String> resources(Container container) {
        List<String> options = new ArrayList<>();
        Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
        if (limits != null && limits.get("memory") != null) {
            options.addAll(List.of("--memory", limits.get("memory").getNumericalAmount().toBigInteger().toString()));
        }
        if (limits != null && limits.get("cpu") != null) {
            options.addAll(List.of("--cpus", limits.get("cpu").getNumericalAmount().toPlainString()));
        }
        return options;
    }

    private static List<String> volumes(PodSpec pod, Container container, Path projected) {
        List<String> options = new ArrayList<>();
        for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow();
            if (volume.getEmptyDir() != null) {
                Quantity size = volume.getEmptyDir().getSizeLimit();
                options.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,mode=1777"
                        + (size == null ? "" : ",size=" + size.getNumericalAmount().toBigInteger())));
            } else if (volume.getConfigMap() != null || volume.getSecret() != null) {
                Path source = projected.resolve(mount.getMountPath().substring(1));
                options.addAll(List.of("--volume", source + ":" + mount.getMountPath() + ":ro"));
            } else {
                throw new IllegalArgumentException("volume " + volume.getName() + " is neither emptyDir, ConfigMap "
                        + "nor Secret");
            }
        }
        return options;
    }

    /** The local port a named container port moved to. */
    int port(String name) {
        return ports.get(name);
    }

    /** Runs a command in the container, as {@code kubectl exec} would. */
    Command.Result exec(String... command) {
        List<String> arguments = new ArrayList<>(List.of(podman.toString(), "exec", name));
        arguments.addAll(List.of(command));
        return Command.of(arguments).run();
    }

    String logs() {
        return Command.of(List.of(podman.toString(), "logs", name)).run().out();
    }

    boolean running() {
        return Command.of(List.of(podman.toString(), "inspect", "--format", "{{.State.Running}}", name)).run().out()
                .strip().equals("true");
    }

    /** Stops the container as a kubelet stops a pod: SIGTERM, and SIGKILL after {@code grace}; returns its logs. */
    String stop(Duration grace) {
        Command.of(List.of(podman.toString(), "stop", "--time", String.valueOf(grace.toSeconds()), name))
                .withTimeout(grace.plusSeconds(30)).run();
        return logs();
    }

    @Override
    public void close() {
        Command.of(List.of(podman.toString(), "rm", "--force", name)).run();
    }

    /** Loads an image archive (docker-archive or OCI) into podman's store; returns the names it was loaded as. */
    static String load(Path podman, Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException(archive + " is not there");
        }
        return Command.of(List.of(podman.toString(), "load", "--input", archive.toString()))
                .withTimeout(Duration.ofMinutes(3)).run().orFail().out();
    }
}
