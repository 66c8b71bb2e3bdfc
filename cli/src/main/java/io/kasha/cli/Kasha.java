package io.kasha.cli;

import java.nio.file.Path;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kasha} command. */
@Command(name = "kasha", mixinStandardHelpOptions = true, versionProvider = Kasha.Version.class,
    description = {
        "Kafka-native hyperparameter tuning with asynchronous successive halving (ASHA).",
        "",
        "Start here:  kasha run examples/quickstart.yaml",
    },
    subcommands = {RunCommand.class, SubmitCommand.class, StopCommand.class, ExtendCommand.class, KeysCommand.class,
        WatchCommand.class, EventsCommand.class, SchedulerCommand.class, RunnerCommand.class, BrokerCommand.class,
        CommandLine.HelpCommand.class})
public final class Kasha {

  public static void main(final String[] args) {
    System.setProperty("kasha.logDir", logDir(args).toString());
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.kasha.schemas");
    System.exit(commandLine().execute(args));
  }

  /**
   * The {@code kasha} command as {@link #main} runs it, with the {@link PluggedCommand}s found on the class path:
   * enum values such as {@code --only sim} in any case.
   */
  public static CommandLine commandLine() {
    final CommandLine cli = new CommandLine(new Kasha());
    for (final PluggedCommand plugged : ServiceLoader.load(PluggedCommand.class)) {
      cli.addSubcommand(plugged);
    }
    for (final MissingModule.Plugged plugged : MissingModule.COMMANDS) {
      if (!cli.getSubcommands().containsKey(plugged.name())) {
        cli.addSubcommand(plugged.name(), MissingModule.commandLine(plugged));
      }
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Console.error(e.getMessage() == null ? e.toString() : e.getMessage());
      org.slf4j.LoggerFactory.getLogger(Kasha.class).warn("Command failed", e);
      return 1;
    });
    return cli;
  }

  /** Logs go to {@code <home>/logs}; read {@code --home} early, before any logger starts. */
  private static Path logDir(final String[] args) {
    String home = System.getenv().getOrDefault("KASHA_HOME", ".kasha");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--home") && i + 1 < args.length) {
        home = args[i + 1];
      } else if (args[i].startsWith("--home=")) {
        home = args[i].substring("--home=".length());
      }
    }
    return Path.of(home, "logs").toAbsolutePath();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      final String version = Kasha.class.getPackage().getImplementationVersion();
      return new String[] {"kasha " + (version == null ? "development build" : version)
          + " (Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ")"};
    }
  }
}
