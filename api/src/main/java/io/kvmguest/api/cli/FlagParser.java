package io.kvmguest.api.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fills a picocli-annotated flags object from a command line, with the messages all three programs
 * share: one line that names the flag. Values are checked by the caller (which knows what each flag
 * accepts), so the flags objects hold plain strings, booleans and lists.
 */
public final class FlagParser {
  private FlagParser() {}

  /** Returns {@code flags}, filled in; throws {@link HelpRequested} for --help, else IllegalArgumentException. */
  public static <T> T parse(T flags, List<String> args) {
    CommandLine commandLine = commandLine(flags);
    try {
      commandLine.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.UnmatchedArgumentException e) {
      String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
      throw new IllegalArgumentException(first.startsWith("-") ? "unknown option " + first : "unexpected argument " + first);
    } catch (CommandLine.MissingParameterException e) {
      throw new IllegalArgumentException(e.getMissing().isEmpty() ? e.getMessage() : name(e.getMissing().get(0)) + " needs a value");
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage().replace('\n', ' '));
    }
    if (commandLine.isUsageHelpRequested()) {
      throw new HelpRequested(commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF));
    }
    return flags;
  }

  /** The --help text of {@code flags}' command. */
  public static String usage(Object flags) {
    return commandLine(flags).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static CommandLine commandLine(Object flags) {
    CommandLine commandLine = new CommandLine(flags);
    commandLine.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("show this help and exit").build());
    // Parsing stays pure: no @file reading. Last value wins, as with the hand-written parsers before.
    commandLine.setExpandAtFiles(false);
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setAbbreviatedOptionsAllowed(false);
    return commandLine;
  }

  private static String name(ArgSpec spec) {
    return spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel();
  }
}
