package io.switchboard.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The build's version, as Maven wrote it into this module's resources; the same for every module of a build. */
public final class Version {

  /** E.g. {@code 0.1.0-SNAPSHOT}. */
  public static final String NUMBER = read();

  /** What a node calls itself in {@code hello} and {@code --version}: {@code switchboard/<version>}. */
  public static final String SERVER = "switchboard/" + NUMBER;

  private Version() {
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
