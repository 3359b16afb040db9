package dev.botfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code botfleet} command line. */
@Command(name = "botfleet", mixinStandardHelpOptions = true, version = "botfleet 0.1.0",
        description = "Check, scaffold and list botfleet manifests, and talk to a running bot.",
        subcommands = {ValidateCommand.class, NewCommand.class, ListCommand.class, QueryCommand.class,
                SyncSettingsCommand.class, CommandLine.HelpCommand.class})
public final class BotfleetCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }

    /** The command line with botfleet's exit codes: 2 for arguments it cannot use. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BotfleetCli());
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("botfleet: " + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help'.");
            return ValidateCommand.UNUSABLE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
