package dev.botfleet.e2e;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A Helm release of helm/botfleet in the control plane, and the operator processes run for it. */
final class Release {

    static final Path CHART = ControlPlane.REPO.resolve("helm/botfleet");

    private static Release clusterWide;

    private final ControlPlane cluster;
    private final String name;
    private final String namespace;

    private Release(ControlPlane cluster, String name, String namespace) {
        this.cluster = cluster;
        this.name = name;
        this.namespace = namespace;
    }

    /**
     * The release most tests share: the chart installed for all namespaces in botfleet-system, with leader
     * election on (as with more than one replica), so that any number of operator processes may run for it.
     */
    static synchronized Release clusterWide() {
        if (clusterWide == null) {
            ControlPlane cluster = ControlPlane.get();
            Crds.install(cluster);
            clusterWide = install(cluster, "botfleet", "botfleet-system", "leaderElection.enabled=true",
                    "groupWriteInterval=200ms", "recheckInterval=10s");
        }
        return clusterWide;
    }

    /** {@code helm install} of the chart with {@code --set} values. */
    static Release install(ControlPlane cluster, String name, String namespace, String... values) {
        Release release = new Release(cluster, name, namespace);
        release.helm(List.of("install"), values);
        return release;
    }

    /** {@code helm upgrade} keeping the values set so far, changing {@code values}. */
    void upgrade(String... values) {
        helm(List.of("upgrade", "--reuse-values"), values);
    }

    void uninstall() {
        cluster.helm("uninstall", name, "-n", namespace, "--wait").run().orFail();
    }

    private void helm(List<String> verb, String... values) {
        List<String> arguments = new ArrayList<>(verb);
        arguments.addAll(List.of(name, CHART.toString(), "-n", namespace, "--create-namespace", "--wait",
                "--timeout", "2m"));
        for (String value : values) {
            arguments.add("--set");
            arguments.add(value);
        }
        cluster.helm(arguments.toArray(String[]::new)).run().orFail();
    }

    String namespace() {
        return namespace;
    }

    /** The name of the chart's Deployment, ServiceAccount, ClusterRole and Roles. */
    String fullname() {
        return name.contains("botfleet") ? name : name + "-botfleet";
    }

    /** The environment the chart gives the operator container. */
    Map<String, String> operatorEnvironment() {
        Deployment deployment = cluster.admin().apps().deployments().inNamespace(namespace).withName(fullname())
                .require();
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getValueFrom() == null)
                .collect(Collectors.toMap(EnvVar::getName, env -> env.getValue() == null ? "" : env.getValue()));
    }

    /**
     * The operator as the chart runs it: its container's environment, authenticated as the chart's
     * ServiceAccount, its process name standing in for the pod name. Under kwok the chart's own pod is fake; this
     * process is the one that works.
     */
    OperatorProcess startOperator(String processName, Map<String, String> extraEnvironment,
                                  List<String> jvmOptions) {
        Map<String, String> environment = new java.util.HashMap<>(operatorEnvironment());
        environment.put("POD_NAME", processName);
        environment.putAll(extraEnvironment);
        return OperatorProcess.start(processName, cluster.loginAs(namespace, fullname()), environment, jvmOptions);
    }

    OperatorProcess startOperator(String processName) {
        return startOperator(processName, Map.of(), OperatorProcess.TEST_JVM);
    }
}
