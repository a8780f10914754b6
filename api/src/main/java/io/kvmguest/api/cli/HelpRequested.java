package io.kvmguest.api.cli;

/**
 * Thrown by an options parser for {@code --help}: not an error, the program prints {@link #usage()}
 * and exits 0. It extends IllegalArgumentException so a parser's contract stays "throws
 * IllegalArgumentException"; a main catches this one first.
 */
public final class HelpRequested extends IllegalArgumentException {
  private final String usage;

  public HelpRequested(String usage) {
    super("help requested");
    this.usage = usage;
  }

  public String usage() {
    return usage;
  }
}
