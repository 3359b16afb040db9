package dev.botfleet.e2e;

import java.util.List;

/** The CRDs of crds/, installed into the control plane once. */
final class Crds {

    static final List<String> NAMES = List.of("llmproviders.botfleet.dev", "llmbots.botfleet.dev",
            "botruntimes.botfleet.dev");

    private static boolean installed;

    private Crds() {
    }

    static synchronized void install(ControlPlane cluster) {
        if (installed) {
            return;
        }
        cluster.kubectl("apply", "--server-side", "-f", ControlPlane.REPO.resolve("crds").toString()).run().orFail();
        for (String crd : NAMES) {
            cluster.kubectl("wait", "--for=condition=Established", "crd/" + crd, "--timeout=60s").run().orFail();
        }
        installed = true;
    }
}
