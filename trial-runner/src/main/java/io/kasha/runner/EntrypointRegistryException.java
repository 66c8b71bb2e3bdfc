package io.kasha.runner;

/** An entrypoints file, or the set of objectives on the class path, that cannot make a registry. */
public final class EntrypointRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EntrypointRegistryException(final String message) {
    super(message);
  }

  public EntrypointRegistryException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
