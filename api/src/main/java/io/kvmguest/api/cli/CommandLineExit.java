package io.kvmguest.api.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * How the programs end on a command line they will not run with: usage on stdout and exit 0 for
 * --help, one line naming the problem and pointing at --help on stderr and exit 2 for a bad one.
 */
public final class CommandLineExit {
  public static final int BAD_USAGE = 2;

  private CommandLineExit() {}

  /** The options {@code parse} returns; for --help or a bad command line the process exits. */
  public static <T> T parseOrExit(String program, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (HelpRequested help) {
      System.out.print(help.usage());
      System.out.flush();
      System.exit(0);
    } catch (IllegalArgumentException e) {
      printError(System.err, program, e.getMessage());
      System.exit(BAD_USAGE);
    }
    throw new AssertionError("unreachable");
  }

  public static void printError(PrintStream err, String program, String message) {
    err.println(errorLine(program, message));
    err.flush();
  }

  public static String errorLine(String program, String message) {
    return program + ": " + message + " (see " + program + " --help)";
  }
}
