package io.kasha.examples.mlp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network and the number of epochs it has been trained for, saved as {@value #FILE_NAME} in a
 * checkpoint directory: a magic number, a format version, the epoch, then the network's shape,
 * weights and velocities as big-endian doubles. Doubles are written bit for bit, so a resumed run
 * continues exactly where the saved one stopped.
 */
record MlpCheckpoint(long epoch, Mlp model) {

  static final String FILE_NAME = "mlp.bin";

  private static final int MAGIC = 0x4B4D4C50; // "KMLP"
  private static final int VERSION = 1;

  void writeTo(final Path directory) throws IOException {
    Files.createDirectories(directory);
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(Files.newOutputStream(directory.resolve(FILE_NAME))))) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(epoch);
      model.writeTo(out);
    }
  }

  static MlpCheckpoint readFrom(final Path directory) throws IOException {
    final Path file = directory.resolve(FILE_NAME);
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a " + MlpObjective.NAME + " checkpoint");
      }
      final int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + " has format version " + version + ", expected " + VERSION);
      }
      return new MlpCheckpoint(in.readLong(), Mlp.readFrom(in));
    }
  }
}
