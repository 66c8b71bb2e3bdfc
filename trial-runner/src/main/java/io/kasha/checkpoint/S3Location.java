package io.kasha.checkpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an {@link S3CheckpointStore} keeps its checkpoints: a bucket and a key prefix, written {@code
 * s3://BUCKET} or {@code s3://BUCKET/PREFIX}. A checkpoint is named {@code
 * s3://BUCKET/PREFIX/<studyId>/<name>/<resource>/}, and its objects are the keys under that.
 *
 * <p>The prefix is one or more segments of letters, digits, {@code .}, {@code _} and {@code -}, none
 * of them {@code .} or {@code ..}, so that a checkpoint's key can be told apart from any other key by
 * its segments alone.
 *
 * @param bucket the bucket, by the S3 naming rules (3 to 63 lower-case letters, digits, '.' and '-')
 * @param prefix the key prefix, without a leading or trailing '/'; empty for the whole bucket
 */
public record S3Location(String bucket, String prefix) {

  /** The forms {@link #parse} accepts, for messages. */
  public static final String FORMS = "s3://BUCKET or s3://BUCKET/PREFIX";

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");
  private static final Pattern RESOURCE = Pattern.compile("0|[1-9][0-9]{0,18}");

  public S3Location {
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("bucket '" + bucket
          + "' is not an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-')");
    }
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null");
    }
    if (!prefix.isEmpty()) {
      for (final String segment : prefix.split("/", -1)) {
        if (!SEGMENT.matcher(segment).matches()) {
          throw new IllegalArgumentException("key prefix '" + prefix + "' has the segment '" + segment
              + "': use letters, digits, '.', '_' and '-' between single '/', not starting with '.' or '-'");
        }
      }
    }
  }

  /**
   * Reads {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX} (a trailing '/' is allowed).
   *
   * @throws IllegalArgumentException saying what is wrong and which forms are allowed
   */
  public static S3Location parse(final String text) {
    try {
      return parse(new URI(text));
    } catch (URISyntaxException e) {
      // a text with a user part is not echoed: it may hold a secret
      throw new IllegalArgumentException((text.contains("@") ? "that" : "'" + text + "'") + " is not a URI ("
          + e.getReason() + "); use " + FORMS, e);
    }
  }

  /**
   * Reads {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX} (a trailing '/' is allowed).
   *
   * @throws IllegalArgumentException saying what is wrong and which forms are allowed
   */
  public static S3Location parse(final URI uri) {
    if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
      throw new IllegalArgumentException("'" + uri + "' is not an s3:// URI; use " + FORMS);
    }
    if (uri.getRawUserInfo() != null || uri.getPort() != -1 || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      // not echoed: a user part may hold a secret
      throw new IllegalArgumentException("an s3:// URI with a user, port, query or fragment; use " + FORMS
          + " (credentials come from the environment, the endpoint from its own option)");
    }
    final String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    final String prefix = strip(path);
    try {
      return new S3Location(uri.getRawAuthority(), prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + uri + "': " + e.getMessage() + "; use " + FORMS, e);
    }
  }

  /** The key prefix of every checkpoint saved under {@code name} in {@code studyId}, ending in '/'. */
  String nameKey(final String studyId, final String name) {
    return (prefix.isEmpty() ? "" : prefix + "/") + studyId + "/" + name + "/";
  }

  /** The key prefix of one checkpoint, ending in '/'. */
  String checkpointKey(final String studyId, final String name, final long resource) {
    return nameKey(studyId, name) + resource + "/";
  }

  /** The URI that names the checkpoint whose key prefix is {@code checkpointKey}. */
  URI uri(final String checkpointKey) {
    return URI.create("s3://" + bucket + "/" + checkpointKey);
  }

  /**
   * The key prefix of the checkpoint {@code uri} names, if this location could have made it: the same
   * bucket, then exactly this prefix, a study id, a name and a resource. Nothing else is read, so a URI
   * cannot reach another bucket, another prefix or a key of some other kind.
   */
  Optional<String> checkpointKeyOf(final URI uri) {
    if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque() || !bucket.equals(uri.getRawAuthority())
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawPath() == null) {
      return Optional.empty();
    }
    final String path = uri.getRawPath();
    final String head = prefix.isEmpty() ? "/" : "/" + prefix + "/";
    if (!path.startsWith(head)) {
      return Optional.empty();
    }
    final String rest = path.substring(head.length());
    final List<String> segments = Arrays.asList((rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest)
        .split("/", -1));
    if (segments.size() != 3 || !CheckpointNames.isSafe(segments.get(0)) || !CheckpointNames.isSafe(segments.get(1))
        || !RESOURCE.matcher(segments.get(2)).matches()) {
      return Optional.empty();
    }
    return Optional.of(nameKey(segments.get(0), segments.get(1)) + segments.get(2) + "/");
  }

  /** {@code s3://BUCKET/PREFIX/}. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/");
  }

  private static String strip(final String path) {
    int from = 0;
    int to = path.length();
    if (from < to && path.charAt(from) == '/') {
      from++;
    }
    if (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    return path.substring(from, to);
  }
}
