package io.kasha.checkpoint;

import java.util.regex.Pattern;

/**
 * The names a checkpoint store accepts for a study id, a trial id or a checkpoint name: they come from
 * messages, so each must be one safe path segment (a directory level, or one segment of an object key)
 * that can never climb out of the store.
 */
final class CheckpointNames {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private CheckpointNames() {}

  static boolean isSafe(final String name) {
    return name != null && SAFE_NAME.matcher(name).matches();
  }

  /** @throws IllegalArgumentException naming {@code what} unless {@code name} is one safe segment */
  static void check(final String what, final String name) {
    if (!isSafe(name)) {
      throw new IllegalArgumentException(
          "cannot store checkpoints for " + what + " '" + name
              + "': use letters, digits, '.', '_' and '-' (at most 200, not starting with '.' or '-')");
    }
  }
}
