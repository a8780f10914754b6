package io.kvmguest.operator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * HELP text for java-operator-sdk's meters (micrometer-support registers them without a
 * description, and {@code promtool check metrics} flags every metric without HELP). Only meters
 * named {@code operator.sdk.*} with no description of their own are touched.
 */
public final class JosdkMeterHelp implements MeterFilter {
  static final String PREFIX = "operator.sdk.";
  private static final String EXECUTION = PREFIX + "controllers.execution.";
  private static final String EXECUTIONS = PREFIX + "reconciliations.executions.";
  private static final String QUEUE_SIZE = PREFIX + "reconciliations.queue.size.";

  @Override
  public Meter.Id map(Meter.Id id) {
    if (!id.getName().startsWith(PREFIX) || id.getDescription() != null) {
      return id;
    }
    return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), describe(id.getName()), id.getType());
  }

  static String describe(String name) {
    String help = switch (name) {
      case PREFIX + "events.received" -> "Events received for the controller's resources";
      case PREFIX + "events.delete" -> "Delete events received for the controller's resources";
      case PREFIX + "reconciliations.started" -> "Reconciliations started, by whether it is the last retry and the retry number";
      case PREFIX + "reconciliations.success" -> "Reconciliations that succeeded";
      case PREFIX + "reconciliations.failed" -> "Reconciliations that failed, by exception";
      default -> null;
    };
    if (help == null && name.startsWith(EXECUTIONS)) {
      help = "Reconciliations of controller " + name.substring(EXECUTIONS.length()) + " running now";
    } else if (help == null && name.startsWith(QUEUE_SIZE)) {
      help = "Resources of controller " + name.substring(QUEUE_SIZE.length()) + " queued for a reconciliation";
    } else if (help == null && name.startsWith(EXECUTION)) {
      String rest = name.substring(EXECUTION.length());
      if (rest.endsWith(".success")) {
        help = "Controller " + rest.substring(0, rest.length() - ".success".length()) + " executions that succeeded";
      } else if (rest.endsWith(".failure")) {
        help = "Controller " + rest.substring(0, rest.length() - ".failure".length()) + " executions that failed, by exception";
      } else {
        help = "Seconds one controller " + rest + " execution took";
      }
    } else if (help == null) {
      help = name.substring(PREFIX.length());
    }
    return "java-operator-sdk: " + help;
  }
}
