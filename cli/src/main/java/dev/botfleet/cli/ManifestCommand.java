package dev.botfleet.cli;

import dev.botfleet.api.manifest.UnreadableManifestException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** A command over the manifests in some paths; unusable input ends it with exit code 2. */
abstract class ManifestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories of YAML manifests.")
    List<Path> paths;

    abstract int run(ManifestSet manifests);

    @Override
    public Integer call() {
        ManifestSet manifests;
        try {
            manifests = ManifestSet.read(paths);
        } catch (UnreadableManifestException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ValidateCommand.UNUSABLE;
        }
        return run(manifests);
    }
}
