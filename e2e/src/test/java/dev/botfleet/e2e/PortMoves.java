package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves a container's named ports to free ones, for pods that share the host's network: in the arguments that set
 * them ({@code --server.port=8080} and the like) and, for a pod the kubelet probes, in the ports themselves.
 */
final class PortMoves {

    private PortMoves() {
    }

    /** The container's arguments, each that sets a named port's number moved to its free port. */
    static List<String> arguments(Container container, Map<String, Integer> ports) {
        List<String> arguments = new ArrayList<>();
        for (String argument : container.getArgs() == null ? List.<String>of() : container.getArgs()) {
            String moved = argument;
            for (ContainerPort port : container.getPorts()) {
                Integer free = ports.get(port.getName());
                if (free != null && argument.matches("--[a-z.-]*port=" + port.getContainerPort())) {
                    moved = argument.substring(0, argument.indexOf('=') + 1) + free;
                }
            }
            arguments.add(moved);
        }
        return arguments;
    }

    /** Moves the container's arguments and named ports, in place. */
    static void apply(Container container, Map<String, Integer> ports) {
        container.setArgs(arguments(container, ports));
        for (ContainerPort port : container.getPorts()) {
            Integer free = ports.get(port.getName());
            if (free != null) {
                port.setContainerPort(free);
            }
        }
    }
}
